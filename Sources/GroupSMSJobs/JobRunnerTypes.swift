import Foundation
import GroupSMSModel
import Logging
import Synchronization

/// What a runner does with its job when it is asked to stop (Ctrl-C, SIGTERM).
public enum RunnerStopBehaviour: Sendable, Equatable {
    /// Pause the job (foreground `send`/`resume`): it stays paused until `groupsms resume`.
    case pause
    /// Release the job but leave it running (daemon shutdown): the next daemon start resumes it.
    case release
}

/// How a runner sends.
public struct JobRunnerOptions: Sendable {
    /// Chunk requests in flight at once, so platform latency does not lower throughput.
    public var maxInFlight: Int
    /// Most numbers per request (the platform's maximum is 500; chunks are also at most the rate).
    public var chunkSize: Int
    /// Seconds between heartbeats (the store presumes a runner dead after 120 s without one).
    public var heartbeatInterval: TimeInterval
    /// First wait after a chunk was provably not sent or answered 5xx; doubles up to `maxRetryDelay`.
    public var retryDelay: TimeInterval
    /// Longest wait between retries of not-sent chunks.
    public var maxRetryDelay: TimeInterval
    /// Longest single sleep, so a stop request or a pause is noticed promptly.
    public var pollInterval: TimeInterval
    /// What to do with the job when the stop signal is raised.
    public var stopBehaviour: RunnerStopBehaviour
    /// The status report URL for jobs that have none of their own (a job's stored
    /// `statusCallback` wins): where a process running a report receiver puts its URL.
    public var statusCallback: String?
    /// Where requests are counted and timed (`/metrics`); nowhere by default.
    public var metrics: SendMetrics
    /// Where the structured event lines go (`--log-format json`): run start and end and each
    /// settled chunk at info, each accepted number's smsMsgId at debug; nil writes none.
    public var events: Logger?

    /// Defaults: 8 requests in flight, heartbeat every 5 s, retries after 1 s up to 60 s, pause on
    /// stop, no metrics, no event lines.
    public init(maxInFlight: Int = 8, chunkSize: Int = 500, heartbeatInterval: TimeInterval = 5, retryDelay: TimeInterval = 1,
                maxRetryDelay: TimeInterval = 60, pollInterval: TimeInterval = 1,
                stopBehaviour: RunnerStopBehaviour = .pause, statusCallback: String? = nil,
                metrics: SendMetrics = .disabled, events: Logger? = nil) {
        self.maxInFlight = maxInFlight
        self.chunkSize = chunkSize
        self.heartbeatInterval = heartbeatInterval
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
        self.pollInterval = pollInterval
        self.stopBehaviour = stopBehaviour
        self.statusCallback = statusCallback
        self.metrics = metrics
        self.events = events
    }
}

/// A raised-once flag shared by every runner of a process: stop claiming, settle, let go.
public final class RunnerStopSignal: Sendable {
    private let raised = Mutex(false)

    /// A signal that is not raised.
    public init() {}

    /// Asks every runner watching this signal to stop.
    public func raise() { raised.withLock { $0 = true } }

    /// Whether `raise()` was called.
    public var isRaised: Bool { raised.withLock { $0 } }
}

/// How a run of a job ended.
public enum JobRunOutcome: Sendable, Equatable {
    /// Every number left the queue; the job is finished.
    case finished
    /// The job is paused (by `groupsms pause`, or by E000623); `reason` says why.
    case paused(reason: String)
    /// The job failed (fatal authentication or account code, or a refused request).
    case failed(code: String, message: String)
    /// The stop signal was raised; the job was paused or released as the options say.
    case stopped
    /// Another process took the job over; this runner let go without touching it.
    case leaseLost
}

/// A runner's own view of its progress, from its settlement counts (no database scan).
public struct JobProgress: Sendable, Equatable {
    /// The job.
    public var jobID: JobID
    /// Numbers queued (pending or deferred) when this run began.
    public var total: Int
    /// Numbers accepted by the platform in this run.
    public var accepted = 0
    /// Numbers refused by the platform or failed locally (LOCAL_LIMIT, SUPPRESSED) in this run.
    public var failed = 0
    /// Numbers whose fate is unknown (ambiguous failure).
    public var unconfirmed = 0
    /// Numbers that left the queue unsent (job stopped by a fatal error).
    public var notSent = 0
    /// Deferrals so far (frequency limits and flow control); a number may be deferred more than once.
    public var deferred = 0
    /// Numbers now postponed to their send window (deferred with reason SEND_WINDOW).
    public var postponed = 0
    /// When the next deferred numbers become due (a send window opens, a limit's wait ends);
    /// nil when none is deferred.
    public var nextDue: Date?
    /// Numbers in requests now in flight.
    public var inFlight = 0
    /// Numbers per second over the last whole seconds of request starts (`windowedRate`).
    public var rate: Double = 0
    /// Seconds until the queue is empty at `rate`; nil when the rate is zero.
    public var eta: TimeInterval?

    /// Numbers that left the queue in this run.
    public var sent: Int { accepted + failed + unconfirmed + notSent }

    /// Progress at the start of a run of `total` queued numbers.
    public init(jobID: JobID, total: Int) {
        self.jobID = jobID
        self.total = total
    }
}

extension JobProgress {
    /// Numbers per second from request starts (`at`, `numbers`), as of `now`: the numbers whose
    /// request started in the last `w` seconds, (now - w, now], divided by `w`, where `w` is the
    /// whole seconds back to the oldest start given (at least 1, at most `window`).
    ///
    /// The pacer holds every 1 s window to the job's rate, and `w` such windows hold at most
    /// `w` times the rate, so this never shows more than the rate, unlike a ratio over the
    /// fractional span since the first start, which counts one window too many.
    public static func windowedRate(starts: [(Date, Int)], now: Date, window: Int = 5) -> Double {
        guard let oldest = starts.map(\.0).min() else { return 0 }
        let seconds = Double(min(window, max(1, Int(now.timeIntervalSince(oldest)) + 1)))
        let counted = starts.filter { now.timeIntervalSince($0.0) < seconds && $0.0 <= now }.reduce(0) { $0 + $1.1 }
        return Double(counted) / seconds
    }
}
