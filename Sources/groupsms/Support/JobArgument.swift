import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSJobs

extension JobID: ExpressibleByArgument {
    /// Parses `job-12` or `12` from the command line.
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}

/// Typed option and argument values, read while the command line is parsed, so a value that
/// cannot be read is a usage error (exit 64) that names the option, like every other one.
enum OptionValue {
    /// A job id (`job-12` or `12`).
    static func job(_ text: String) throws -> JobID {
        guard let id = JobID(parsing: text) else { throw ValidationError("write a job id such as job-12 or 12") }
        return id
    }

    /// A start time (`--at`): ISO 8601 with an offset, or relative to now (`+10m`).
    static func time(_ text: String) throws -> Date {
        try ScheduleTimeParser(clock: SystemWallClock()).parse(text)
    }

    /// A send window (`--send-window`): `HH:MM-HH:MM`, `default` or `any`.
    static func sendWindow(_ text: String) throws -> SendWindowSetting {
        do {
            return try SendWindowSetting(parsing: text, source: "--send-window")
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// A template id (`--template`), by the rule job files follow.
    static func templateID(_ text: String) throws -> String {
        if let problem = JobFileRules.templateIDProblem(text) { throw ValidationError(problem) }
        return text
    }

    /// A channel number (`--from`), by the rule job files follow.
    static func channel(_ text: String) throws -> String {
        if let problem = JobFileRules.fromProblem(text) { throw ValidationError(problem) }
        return text
    }
}

/// Opening the job store: PostgreSQL when `--store` (or `$GROUPSMS_STORE`) names one, else the
/// SQLite store of the data directory.
enum StoreAccess {
    /// The store (the data dir's SQLite store is created, owner-only, when missing) on `clock`.
    static func open(_ dataDir: DataDirOption, clock: any WallClock = SystemWallClock(),
                     lease: TimeInterval = PostgresJobStoreOptions().leaseDuration) async throws -> any JobStoring {
        guard let url = try dataDir.postgresURL() else {
            return try JobStore(dataDirectory: dataDir.directory.path, clock: clock)
        }
        let password = try PostgresPassword.resolve(file: dataDir.storePasswordFile)
        let connection = try await PostgresStoreConnection.connect(url, password: password)
        do {
            let store = try await PostgresJobStore.open(connection, clock: clock,
                                                        options: PostgresJobStoreOptions(leaseDuration: lease,
                                                                                         dataDirectory: dataDir.directory))
            return store
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The store when it exists, else nil: for commands that only read (`send --dry-run`) and
    /// must not create a data dir. A PostgreSQL store always exists (it is migrated on open).
    static func openExisting(_ dataDir: DataDirOption, clock: any WallClock = SystemWallClock()) async throws
        -> (any JobStoring)? {
        if try dataDir.postgresURL() == nil,
           !FileManager.default.fileExists(atPath: dataDir.directory.databasePath) { return nil }
        return try await open(dataDir, clock: clock)
    }
}
