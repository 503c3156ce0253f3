import Foundation
import GroupSMSTestSupport
import Testing

/// A data dir whose job store cannot be opened is named in plain words (issue 11, item 6).
@Suite("job store open failures")
struct StoreErrorCLITests {
    @Test("a job store that cannot be opened is named in plain words, without SQLite internals")
    func storeCannotOpen() throws {
        let directory = try TemporaryDirectory(prefix: "cli-store")
        let data = directory.file("data")
        try FileManager.default.createDirectory(atPath: data + "/groupsms.sqlite", withIntermediateDirectories: true)
        let jobs = try CommandLineRunner.run(["jobs", "--data-dir", data])
        #expect(jobs.status == 1)
        #expect(jobs.stderr == "groupsms: cannot open the job store in \(data): unable to open database file; check that "
                + "groupsms.sqlite and its -wal and -shm files there are files you may read and write\n")
    }
}
