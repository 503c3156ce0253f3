import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSJobs
import Logging

/// Runs one job in this process (`send` without `--at`, `resume`): progress on standard error,
/// Ctrl-C or SIGTERM pauses the job cleanly after in-flight requests settle.
struct ForegroundRunner {
    var store: any JobStoring
    var client: PlatformClient
    var lease: RunnerLease
    var showProgress: Bool
    /// The status report URL sent with each chunk; nil uses the job's own. A report receiver
    /// started alongside the run puts its URL here.
    var statusCallback: String?
    /// Where the run's structured event lines go (`--log-format json`); nil writes none.
    var events: Logger? = nil

    /// Runs `job` to its end (finished, paused, failed or interrupted) and returns how it ended.
    func run(_ job: JobID) async throws -> JobRunOutcome {
        let printer = ProgressPrinter(enabled: showProgress)
        let signals = TerminationSignals { _ in
            StandardError.print("\ngroupsms: stopping: waiting for requests in flight, then pausing \(job) (Ctrl-C again to quit at once)")
        }
        let clock = SystemWallClock()
        let runner = JobRunner(jobID: job, store: store, client: client, pacer: SendPacer.forPlatform(store: store, clock: clock),
                               clock: clock, lease: lease,
                               options: JobRunnerOptions(statusCallback: statusCallback, events: events),
                               stopSignal: signals.stop, onProgress: { printer.update($0) })
        let outcome = try await runner.run()
        printer.finish()
        withExtendedLifetime(signals) {}
        return outcome
    }

    /// A line saying how the run ended, for standard error.
    static func describe(_ outcome: JobRunOutcome, job: JobID) -> String? {
        switch outcome {
        case .finished: return nil
        case .paused(let reason): return "\(job) is paused: \(reason). Continue with: groupsms resume \(job)"
        case .failed(let code, let message): return "\(job) failed (\(code)): \(message)"
        case .stopped: return "\(job) is paused after the interruption. Continue with: groupsms resume \(job)"
        case .leaseLost: return "\(job) was taken over by another process"
        }
    }
}

extension ForegroundRunner {
    /// Exit status after a foreground run: 0 finished or paused, 1 failed, 130 interrupted.
    static func exit(for outcome: JobRunOutcome) throws {
        switch outcome {
        case .finished, .paused: return
        case .failed, .leaseLost: throw ExitCode(1)
        case .stopped: throw ExitCode(130)
        }
    }
}
