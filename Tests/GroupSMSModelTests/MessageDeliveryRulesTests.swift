import Foundation
import Testing
@testable import GroupSMSModel
import GroupSMSTestSupport

@Suite struct MessageDeliveryRulesTests {
    let classifier = StandardReportStatusClassifier()

    private func outcome(_ reports: [StatusReport]) -> MessageDeliveryOutcome {
        MessageDeliveryRules.outcome(of: reports, classifier: classifier)
    }

    /// Every order of `reports` must give the same outcome.
    private func outcomeInEveryOrder(_ reports: [StatusReport]) -> Set<MessageDeliveryOutcome> {
        func permutations(_ items: [StatusReport]) -> [[StatusReport]] {
            guard items.count > 1 else { return [items] }
            return items.indices.flatMap { index -> [[StatusReport]] in
                var rest = items
                let first = rest.remove(at: index)
                return permutations(rest).map { [first] + $0 }
            }
        }
        return Set(permutations(reports).map(outcome))
    }

    @Test func theStandardClassesAreExactlyTheSpecLists() {
        for status in ["REJECTD", "BLACK", "MBBLACK", "SC:0003", "SC:0004", "SC:0005", "SC:0013", "SC:0016"] {
            #expect(classifier.verdict(for: status) == .failed(.optedOut), "\(status)")
        }
        for status in ["UNDELIV", "EXPIRED", "LIMIT", "MILIMIT", "SC:0001", "SC:0006", "SC:0010", "SC:0017", "E200027",
                       "DJ:0255", "UNKNOWN", "DELETED", "KEYWORD", "1", "24", "delivrd"] {
            #expect(classifier.verdict(for: status) == .failed(.retryable), "\(status)")
        }
        #expect(classifier.verdict(for: "DELIVRD") == .delivered)
        #expect(classifier.verdict(for: "ACCEPTD") == .interim)
        #expect(classifier.description(for: "BLACK").contains("BLACK"))
    }

    @Test func oneDeliveredReportDeliversAndAFailureEitherSideDoesNotUndoIt() {
        let delivered = StatusReport(smsMsgId: "m", status: "DELIVRD", updateTime: "2026-12-01T00:00:05Z")
        let failed = StatusReport(smsMsgId: "m", status: "UNDELIV", updateTime: "2026-12-01T00:00:09Z")
        #expect(outcomeInEveryOrder([delivered, failed]) == [.delivered])
        #expect(outcome([failed]) == .failed(status: "UNDELIV", failureClass: .retryable))
        #expect(outcome([StatusReport(smsMsgId: "m", status: "ACCEPTD")]) == .awaiting)
        #expect(outcome([]) == .awaiting)
    }

    @Test func aLongMessageIsDeliveredOnlyWhenEveryPartIs() {
        let parts = (1...3).map { StatusReport(smsMsgId: "m", status: "DELIVRD", total: 3, sequence: $0) }
        #expect(outcomeInEveryOrder(parts) == [.delivered])
        #expect(outcomeInEveryOrder(Array(parts.prefix(2))) == [.awaiting])
        #expect(outcome([parts[0], parts[2]]) == .awaiting)
        let secondFailed = StatusReport(smsMsgId: "m", status: "BLACK", total: 3, sequence: 2)
        #expect(outcomeInEveryOrder([parts[0], secondFailed, parts[2]]) == [.failed(status: "BLACK", failureClass: .optedOut)])
        // The failed part is delivered after all (a retry by the SMSC): the message is delivered.
        #expect(outcomeInEveryOrder([parts[0], secondFailed, parts[1], parts[2]]) == [.delivered])
    }

    @Test func competingFailuresAreSettledByUpdateTimeThenStatusInAnyOrder() {
        let early = StatusReport(smsMsgId: "m", status: "UNDELIV", updateTime: "2026-12-01T00:00:01Z")
        let late = StatusReport(smsMsgId: "m", status: "EXPIRED", updateTime: "2026-12-01T10:00:00Z")
        let undated = StatusReport(smsMsgId: "m", status: "REJECTD")
        #expect(outcomeInEveryOrder([early, late, undated]) == [.failed(status: "EXPIRED", failureClass: .retryable)])
        let tie = StatusReport(smsMsgId: "m", status: "LIMIT", updateTime: "2026-12-01T10:00:00Z")
        #expect(outcomeInEveryOrder([late, tie]) == [.failed(status: "LIMIT", failureClass: .retryable)])
    }
}
