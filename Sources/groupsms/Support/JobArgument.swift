import ArgumentParser
import GroupSMSModel
import GroupSMSStore

extension JobID: ExpressibleByArgument {
    /// Parses `job-12` or `12` from the command line.
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}

/// Opening the job store of the data directory.
enum StoreAccess {
    /// The store of `dataDir` (created, owner-only, when missing) on the system clock.
    static func open(_ dataDir: DataDirOption, clock: any WallClock = SystemWallClock()) throws -> JobStore {
        try JobStore(dataDirectory: dataDir.directory.path, clock: clock)
    }
}
