import Foundation
import GroupSMSModel

/// The human-readable form of a job summary (`show`, and the end of `send` and `resume`).
enum JobSummaryText {
    /// Several lines ending in a newline; `withEstimate` adds the estimate the job was created
    /// with (`show`), which `send` already printed before it began.
    static func text(_ s: JobSummary, withEstimate: Bool = false) -> String {
        let job = s.job
        func time(_ date: Date?) -> String { date.map { ISO8601DateFormatter().string(from: $0) } ?? "-" }
        var lines = ["\(job.id) '\(job.name)': \(job.state.rawValue)"]
        lines.append("  scheduled \(time(job.scheduledAt))  started \(time(job.startedAt))  finished \(time(job.finishedAt))")
        lines.append("  template \(job.templateID), from \(job.from), rate \(job.rate)/s")
        lines.append("  send window \(job.sendWindow.explanation)"
                     + (job.sendBy.map { "; send by \(time($0))" } ?? ""))
        lines.append("  total \(s.total): accepted \(s.count(.accepted)), delivered \(s.count(.delivered)), "
                     + "failed \(s.count(.failed)), unconfirmed \(s.count(.unconfirmed)), not sent \(s.count(.notSent)), "
                     + "pending \(s.count(.pending)), deferred \(s.count(.deferred)), in flight \(s.count(.sending))")
        if !s.deferredByReason.isEmpty {
            let reasons = s.deferredByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { reason, count in
                    "\(reason) \(count)" + (s.nextDeferredByReason[reason].map { " (next at \(time($0)))" } ?? "")
                }.joined(separator: ", ")
            lines.append("  deferred by reason: \(reasons)")
        }
        if let postponed = s.deferredByReason[DeferralReason.sendWindow], postponed > 0 {
            let next = s.nextDeferredByReason[DeferralReason.sendWindow].map(time) ?? "-"
            lines.append("  \(postponed) numbers are postponed to their send window (not dropped); the next go at \(next)")
        }
        if !s.failuresByClass.isEmpty {
            let classes = s.failuresByClass.sorted { ($1.value, $0.key.rawValue) < ($0.value, $1.key.rawValue) }
                .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            lines.append("  failures by class: \(classes)")
        }
        if !s.failuresByReason.isEmpty {
            let reasons = s.failuresByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("  failures by reason: \(reasons)")
        }
        if s.awaitingReport > 0 {
            lines.append("  awaiting a status report: \(s.awaitingReport) (reports can arrive up to 72 h after sending)")
        }
        if let original = job.rerunOf { lines.append("  rerun of \(original)") }
        if !s.reruns.isEmpty { lines.append("  rerun as \(s.reruns.map(\.description).joined(separator: ", "))") }
        if let error = job.lastError { lines.append("  note: \(error)") }
        if s.count(.unconfirmed) > 0 {
            lines.append("  \(s.count(.unconfirmed)) numbers are unconfirmed: their request may have reached the platform, "
                         + "so they are not resent automatically; status reports confirm them, or resend them with "
                         + "`groupsms rerun \(job.id) --include-unconfirmed` (may duplicate)")
        }
        if withEstimate, let estimate = s.estimate {
            lines.append("  estimate when created:")
            lines += estimate.text(indentedBy: "    ").components(separatedBy: "\n")
        }
        // Names, reasons and notes come from job files and the platform: no control character reaches the terminal.
        return lines.map(UntrustedText.escaped).joined(separator: "\n") + "\n"
    }
}
