import ArgumentParser
import GroupSMSModel
import GroupSMSStore

/// `groupsms template remove ID`.
struct TemplateRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a template from the catalogue.",
        discussion: "Jobs already created keep their estimate; later jobs with this id go unchecked.")

    @Argument(help: ArgumentHelp("The template id.", valueName: "id"))
    var id: String
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            guard try await StoreAccess.open(dataDir).removeTemplate(id: id) else {
                throw CommandRefusal(description: TemplateCatalogueText.notFound(id))
            }
            print("Removed template \(id) from the catalogue.")
        }
    }
}
