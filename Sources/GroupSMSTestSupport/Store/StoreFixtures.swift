import Foundation
import GroupSMSModel

/// Builders for store tests: distinct numbers, drafts and leases.
public enum StoreFixtures {
    /// `count` distinct Chinese mainland mobile numbers `+86139<block><serial>`; different
    /// `block`s never share a number.
    public static func numbers(_ count: Int, block: Int = 0) -> [String] {
        (0..<count).map { "+86139" + String(format: "%02d%06d", block % 100, $0) }
    }

    /// A draft for `numbers` with the defaults of `send`, except the send window: `any` unless
    /// given, so that a test on the real clock does not depend on the hour in Beijing (the
    /// numbers are Chinese mainland ones); send-window tests pass the window they test.
    public static func draft(_ numbers: [String], name: String = "test", templateID: String = "tmpl-1",
                             params: [String] = ["a"], scheduledAt: Date? = nil, maxDefer: TimeInterval = JobSettings.defaultMaxDefer,
                             sendWindow: SendWindowSetting = .any, rejected: [RejectedEntryDraft] = []) -> JobDraft {
        JobDraft(name: name,
                 settings: JobSettings(templateID: templateID, from: "8824110605", params: params, signature: "sig",
                                       maxDefer: maxDefer, sendWindow: sendWindow),
                 numbers: numbers.enumerated().map { NumberDraft(e164: $1, fileIndex: 0, cell: "A\($0 + 2)") },
                 sourceFiles: ["recipients.xlsx"], scheduledAt: scheduledAt, rejected: rejected)
    }

    /// A lease for a runner on another host, so only its heartbeat decides whether it is alive.
    public static func remoteLease(_ name: String = "runner") -> RunnerLease {
        RunnerLease(token: "\(name)-\(UUID().uuidString)", pid: 4_000_000, host: "elsewhere.example")
    }

    /// Every number accepted, with message ids derived from the chunk tag.
    public static func acceptAll(_ chunk: ChunkPlan, at start: Date) -> ChunkAnswer {
        var outcomes: [String: NumberOutcome] = [:]
        for (index, number) in chunk.numbers.enumerated() {
            outcomes[number] = .accepted(smsMsgId: "\(chunk.extendTag)-\(index)")
        }
        return ChunkAnswer(requestStartedAt: start, code: "000000", description: "Success", outcomes: outcomes,
                           unlisted: .unconfirmed(description: "missing from the answer"))
    }
}
