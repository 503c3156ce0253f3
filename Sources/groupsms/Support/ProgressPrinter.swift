import Foundation
import GroupSMSJobs
import GroupSMSModel
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Shows a runner's progress on standard error: one line rewritten in place (`\r`) on a
/// terminal, plain lines every few seconds otherwise (logs, pipes, CI).
final class ProgressPrinter: Sendable {
    private struct State {
        var lastPrint = Date.distantPast
        var printedInPlace = false
        var last: JobProgress?
        var lastPrinted: JobProgress?
    }

    private let isTerminal: Bool
    private let interval: TimeInterval
    private let state = Mutex(State())

    /// A printer for standard error; quiet when `enabled` is false.
    init(enabled: Bool = true) {
        isTerminal = enabled && isatty(STDERR_FILENO) == 1
        interval = isTerminal ? 0.2 : 5
        if !enabled { state.withLock { $0.lastPrint = .distantFuture } }
    }

    /// Takes a progress event; prints it when the last line is old enough.
    func update(_ progress: JobProgress) {
        let now = Date()
        let line: String? = state.withLock { s in
            s.last = progress
            guard now.timeIntervalSince(s.lastPrint) >= interval else { return nil }
            s.lastPrint = now
            s.printedInPlace = isTerminal
            s.lastPrinted = progress
            return Self.line(progress)
        }
        guard let line else { return }
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        } else {
            StandardError.print(line)
        }
    }

    /// Ends the in-place line, printing the last event once more.
    func finish() {
        let (last, printed, inPlace, quiet) = state.withLock {
            ($0.last, $0.lastPrinted, $0.printedInPlace, $0.lastPrint == .distantFuture)
        }
        guard !quiet, let last, inPlace || last != printed else { return }
        if inPlace {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + Self.line(last) + "\n").utf8))
        } else {
            StandardError.print(Self.line(last))
        }
    }

    /// `job-3: 1498/50000 sent (3.0%)  failed 2  deferred 0  500/s  ETA 1m37s`; with numbers
    /// waiting for their send window, `postponed 250 (send window) until 2026-12-02T00:00:00Z`
    /// before the rate.
    ///
    /// "Sent" counts only what the platform took (accepted numbers): numbers it refused, that
    /// failed locally or were never sent are counted by their own name, so a run stopped by an
    /// authentication failure reads `0/10 sent ... not sent 10`, not `10/10 sent`.
    static func line(_ p: JobProgress) -> String {
        let percent = p.total > 0 ? Double(p.accepted) * 100 / Double(p.total) : 100
        var text = "\(p.jobID): \(p.accepted)/\(p.total) sent (\(String(format: "%.1f", percent))%)"
            + "  failed \(p.failed)  deferred \(p.deferred)"
        if p.unconfirmed > 0 { text += "  unconfirmed \(p.unconfirmed)" }
        if p.notSent > 0 { text += "  not sent \(p.notSent)" }
        if p.postponed > 0 {
            text += "  postponed \(p.postponed) (send window) until " + (p.nextDue.map(ISOTimeText.utc) ?? "-")
        }
        text += "  \(Int(p.rate.rounded()))/s  ETA " + (p.eta.map(duration) ?? "-")
        return UntrustedText.masked(text)  // one terminal line: a control character is shown as `?`
    }

    /// `1h02m`, `3m07s`, `42s`.
    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
