import Foundation
import GroupSMSModel
import GroupSMSStore

/// Where one request's well-formed reports go: into the store when it takes them within
/// `storeWait`, else into the journal, from which `StatusReportReplayer` applies them later.
/// While this receiver's journal holds lines not yet applied, new reports go straight behind
/// them, so the journal is applied in the order reports came.
struct StatusReportIntake: Sendable {
    let store: any JobStoring
    let journal: StatusReportJournal
    let replayer: StatusReportReplayer
    let counters: StatusReportReceiverCounterBox
    let options: StatusReportReceiverOptions
    let log: @Sendable (String) -> Void

    /// What became of a request's reports.
    enum Outcome {
        /// Stored and applied now.
        case applied(StatusReportBatchSummary)
        /// Written durably to the journal, to be applied when the store takes them.
        case journaled
        /// Neither the store nor the journal could take them (the error says why the journal could not).
        case lost(any Error)
    }

    /// Takes the reports of a request received at `time` that also had `malformed` malformed entries.
    func take(_ reports: [StatusReport], malformed: Int, at time: Date) async -> Outcome {
        if !journal.isOpen {
            do {
                if let summary = try await store.receiveAndApplyStatusReports(
                    reports, malformedEntries: malformed, heldLimit: options.heldReports, waitingAtMost: options.storeWait) {
                    return .applied(summary)
                }
                noteStoreProblem(reports.count, "it did not take them within \(options.storeWait)")
            } catch {
                noteStoreProblem(reports.count, "\(error)")
            }
        }
        do {
            try await journal.append(JournalEntry(reports: reports, malformed: malformed), at: time)
            counters.update { $0.journaled += reports.count }
            await replayer.wake()
            return .journaled
        } catch {
            return .lost(error)
        }
    }

    private func noteStoreProblem(_ count: Int, _ reason: String) {
        let total = counters.update { $0.storeErrors += 1 }.storeErrors
        guard StatusReportResponder.worthLogging(total) else { return }
        log("the job store could not take \(count) report(s) at once (\(reason)); they are journaled in "
            + "\(journal.directory) and applied as soon as the store takes them")
    }
}
