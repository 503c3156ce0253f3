import ArgumentParser

/// `groupsms template add|list|show|remove`: the local catalogue of approved templates.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Keep the text of approved templates so jobs are checked and counted before sending.",
        discussion: """
            The platform holds approved templates by id; groupsms keeps a copy of their text here. \
            A job whose template is in the catalogue has its parameters and signature checked before \
            anything is sent, and its segments and cost estimated; a template not in the catalogue \
            still sends, unchecked.
            """,
        subcommands: [TemplateAddCommand.self, TemplateListCommand.self, TemplateShowCommand.self,
                      TemplateRemoveCommand.self])
}
