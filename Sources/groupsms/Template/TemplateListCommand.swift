import ArgumentParser
import GroupSMSModel
import GroupSMSStore

/// `groupsms template list`.
struct TemplateListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the catalogue's templates.")

    @Flag(help: "Print {\"templates\":[...]} as JSON.")
    var json = false
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let templates = try await StoreAccess.open(dataDir).templates()
            if json {
                try JSONOutput.print(TemplateListJSON(templates: templates.map(TemplateJSON.init)))
            } else {
                print(TemplateCatalogueText.list(templates), terminator: "")
            }
        }
    }
}
