import Foundation
import GroupSMSModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This machine's host name, as runners record it.
public enum ProcessInfoHost {
    /// `ProcessInfo.hostName`.
    public static var name: String { ProcessInfo.processInfo.hostName }
}

/// Asks the kernel whether a process exists.
enum ProcessProbe {
    /// False only when no process has this pid (ESRCH); a process we may not signal still exists.
    static func exists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) == 0 { return true }
        return errno != ESRCH
    }
}

/// Decides whether the runner recorded on a job is gone, so its job may be recovered.
public struct RunnerLiveness: Sendable {
    /// A heartbeat older than this means the runner is gone, whatever its pid says.
    public var staleAfter: TimeInterval
    /// This machine's host name; a pid is only checked when the runner ran on this host.
    public var host: String

    /// Liveness with a heartbeat limit (default 2 minutes; runners beat at least every 10 s).
    public init(staleAfter: TimeInterval = 120, host: String = ProcessInfoHost.name) {
        self.staleAfter = staleAfter
        self.host = host
    }

    /// True when `runner` can no longer be running: its process is gone, or it stopped beating.
    public func isGone(_ runner: RunnerInfo, now: Date) -> Bool {
        if runner.host == host, !ProcessProbe.exists(runner.pid) { return true }
        guard let beat = runner.heartbeatAt else { return true }
        return now.timeIntervalSince(beat) > staleAfter
    }
}
