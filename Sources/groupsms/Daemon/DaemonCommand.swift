import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSJobs

/// `groupsms daemon`: start scheduled jobs on time and run the jobs folder.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run scheduled jobs on time, picking up job files from a folder.",
        discussion: """
            Starts each job within a second of its time, reads new and changed *.yaml files in the \
            jobs folder (a changed file replaces its job while that job may still be rescheduled; \
            later changes are ignored with a message), runs several jobs at once under one shared \
            500/s pace, and resumes jobs whose runner died. SIGTERM or Ctrl-C stops cleanly: \
            requests in flight are answered or become unconfirmed, and running jobs are resumed by \
            the next daemon start.
            """)

    @Option(name: .customLong("jobs-dir"), help: ArgumentHelp("Folder of YAML job files.", valueName: "dir"))
    var jobsDir: String?
    @OptionGroup var reports: ReportListenerOptions
    @OptionGroup var access: PlatformAccessOptions
    @OptionGroup var dataDir: DataDirOption

    func validate() throws {
        _ = try reports.callback(statusCallback: nil, endpoint: access.resolvedEndpoint)
        guard reports.waitReports == nil else {
            throw ValidationError("--wait-reports is for `send`; the daemon listens for as long as it runs")
        }
    }

    func run() async throws {
        try await refusingErrors {
            let clock = SystemWallClock()
            let store = try StoreAccess.open(dataDir, clock: clock)
            let factory = try access.makeClientFactory()
            let folder = try jobsFolder()
            let receiver = try await reports.startReceiver(store: store)
            if let receiver { Self.log("receiving status reports at \(Self.withoutToken(receiver.callbackURL))") }
            let signals = TerminationSignals { _ in
                Self.log("stopping: waiting for requests in flight (signal again to quit at once)")
            }
            let daemon = JobDaemon(store: store, clock: clock, pacer: SendPacer.forPlatform(clock: clock),
                                   lease: RunnerLease.forThisProcess(),
                                   jobsFolder: folder.map { JobFolderWatcher(folder: $0, dataDirectory: dataDir.directory) },
                                   defaultEndpoint: access.resolvedEndpoint, runnerOptions: JobRunnerOptions(statusCallback: try reports.callback(
                                       statusCallback: nil, endpoint: access.resolvedEndpoint, receiverURL: receiver?.callbackURL)),
                                   stopSignal: signals.stop, log: { Self.log($0) }, makeClient: factory)
            Self.log("daemon started (pid \(getpid()), data dir \(dataDir.directory.path)"
                     + (folder.map { ", jobs folder \($0)" } ?? ", no jobs folder") + ")")
            do {
                try await daemon.run()
            } catch {
                await receiver?.shutdown()
                throw error
            }
            await receiver?.shutdown()
            Self.log("daemon stopped")
            withExtendedLifetime(signals) {}
        }
    }

    /// `--jobs-dir` must exist; the default `Jobs` is used only when it exists.
    private func jobsFolder() throws -> String? {
        var isDirectory: ObjCBool = false
        let path = jobsDir ?? "Jobs"
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        if exists { return path }
        if jobsDir != nil { throw CommandRefusal(description: "\(path): no such folder (--jobs-dir)") }
        return nil
    }

    /// The receiver's URL as the log shows it: a secret path token is a secret, so it is hidden.
    static func withoutToken(_ url: String) -> String {
        guard let range = url.range(of: "/reports/") else { return url }
        return url[..<range.upperBound] + "<token>"
    }

    /// A timestamped line on standard output, written at once.
    static func log(_ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        FileHandle.standardOutput.write(Data("\(stamp) \(line)\n".utf8))
    }
}
