import ArgumentParser
import Foundation
import GroupSMSPostgres
import GroupSMSStore

/// Where the state is: `--data-dir` (this machine's folder: the SQLite job store by default, the
/// price file, the report journal) and `--store` (a PostgreSQL job store shared by several
/// machines instead of the data dir's SQLite file). Every command accepts both.
struct DataDirOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: ArgumentHelp(
        "Where jobs and the suppression list are kept (default: $GROUPSMS_HOME, else ~/.groupsms).",
        valueName: "dir"))
    var path: String?

    @Option(name: .customLong("store"), help: ArgumentHelp(
        "A PostgreSQL job store shared by several machines, postgres://USER@HOST:PORT/DB (default: "
            + "$GROUPSMS_STORE, else the SQLite store in the data dir). Never put a password in it.",
        valueName: "url"))
    var store: String?

    @Option(name: .customLong("store-password-file"), help: ArgumentHelp(
        "A file (mode 0600) holding the PostgreSQL password on one line (default: $PGPASSWORD).",
        valueName: "file"))
    var storePasswordFile: String?

    /// The resolved data directory.
    var directory: DataDirectory { DataDirectory.resolve(explicit: path) }

    /// The PostgreSQL store named by `--store` or `$GROUPSMS_STORE`, or nil for the data dir's SQLite store.
    func postgresURL(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresStoreURL? {
        let text = store ?? environment["GROUPSMS_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        guard let text else { return nil }
        do {
            return try PostgresStoreURL.parse(text)
        } catch {
            throw ValidationError("--store: \(error.description)")
        }
    }

    func validate() throws {
        let url = try postgresURL()
        if storePasswordFile != nil, url == nil {
            throw ValidationError("--store-password-file is for a PostgreSQL store; give --store too")
        }
    }
}
