import ArgumentParser
import GroupSMSStore

/// The `--data-dir` option every command accepts.
struct DataDirOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: ArgumentHelp(
        "Where jobs and the suppression list are kept (default: $GROUPSMS_HOME, else ~/.groupsms).",
        valueName: "dir"))
    var path: String?

    /// The resolved data directory.
    var directory: DataDirectory { DataDirectory.resolve(explicit: path) }
}
