import ArgumentParser
import GroupSMSModel
import GroupSMSStore

/// `groupsms template show ID`.
struct TemplateShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one template: its text, variables and their rules.")

    @Argument(help: ArgumentHelp("The template id.", valueName: "id"))
    var id: String
    @Flag(help: "Print the template as one JSON object.")
    var json = false
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            guard let stored = try await StoreAccess.open(dataDir).template(id: id) else {
                throw CommandRefusal(description: TemplateCatalogueText.notFound(id))
            }
            if json {
                try JSONOutput.print(TemplateJSON(stored))
            } else {
                print(TemplateCatalogueText.details(stored), terminator: "")
            }
        }
    }
}
