import ArgumentParser
import GroupSMSModel
import GroupSMSStore

/// `groupsms template add ID --text TEXT ...`.
struct TemplateAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add an approved template's text to the catalogue.",
        discussion: """
            Give the text exactly as the platform approved it, variables included: ${TXT_n} (1 to n \
            characters), ${NUM_n} (1 to n digits), ${DATE} (yyyy/MM/dd), ${TIME} (HH:mm or HH:mm:ss); \
            n is 1 to 20, at most 20 variables. A text that breaks these rules is refused, naming the \
            placeholder.
            """)

    @Argument(help: ArgumentHelp("The platform's template id (1-32 characters, no spaces).", valueName: "id"))
    var id: String
    @Option(help: ArgumentHelp("The approved template text.", valueName: "text"))
    var text: String
    @Option(help: ArgumentHelp("The signature name its mainland messages carry (without 【】).", valueName: "name"))
    var signature: String?
    @Option(help: ArgumentHelp("verification, notification or promotion.", valueName: "kind"))
    var kind: String = TemplateKind.notification.rawValue
    @Option(help: ArgumentHelp("mainland or international.", valueName: "region"))
    var region: String = MessageRegion.mainland.rawValue
    @Option(help: ArgumentHelp("A name for people (shown by list).", valueName: "name"))
    var name: String?
    @Flag(help: "Overwrite a template already in the catalogue under this id.")
    var replace = false
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let template = try MessageTemplate(
                id: id, text: text, kind: try TemplateKind(argument: kind), region: try MessageRegion(argument: region),
                signature: try signature.map { name throws(TemplateError) in try SignatureName(name) }, name: name)
            let store = try await StoreAccess.open(dataDir)
            try await store.addTemplate(template, replace: replace)
            let count = template.text.variables.count
            print("Added template \(template.id) (\(template.kind.rawValue), \(template.region.rawValue), "
                  + "\(count) \(count == 1 ? "variable" : "variables")).")
        }
    }
}
