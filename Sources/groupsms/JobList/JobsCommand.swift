import ArgumentParser
import Foundation
import GroupSMSModel

/// `groupsms jobs`: every job of the data dir, newest last.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List the jobs of the data directory.")

    @Flag(help: "Print {\"jobs\":[...]} with one `show --json` object per job.")
    var json = false
    @OptionGroup var dataDir: DataDirOption

    /// The `jobs --json` document.
    struct Listing: Encodable {
        var jobs: [JobSummary]
    }

    func run() async throws {
        try await refusingErrors {
            let store = try await StoreAccess.open(dataDir)
            let summaries = try await store.summaries().sorted { $0.job.id < $1.job.id }
            if json {
                try JSONOutput.print(Listing(jobs: summaries))
                return
            }
            guard !summaries.isEmpty else {
                print("no jobs in \(dataDir.directory.path)")
                return
            }
            let formatter = ISO8601DateFormatter()
            for s in summaries {
                let done = s.count(.accepted) + s.count(.delivered)
                let columns = [s.job.id.description, s.job.state.rawValue, formatter.string(from: s.job.scheduledAt),
                               "\(done)/\(s.total) sent", "\(s.count(.failed)) failed", "\(s.count(.unconfirmed)) unconfirmed"]
                print((columns + [s.job.name]).map { $0.padding(toLength: max($0.count, 10), withPad: " ", startingAt: 0) }
                    .joined(separator: "  "))
            }
        }
    }
}
