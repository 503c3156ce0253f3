import Foundation
import GroupSMSModel
import GroupSMSTestSupport
import Testing

@Suite struct PaceBudgetTests {
    /// A claim asks "may this start now?" with `now` to the nanosecond: when no limit pushes the
    /// start back, the answer is `now` itself, never `now` rounded up to the next microsecond
    /// (which read as "wait", and a PostgreSQL runner asked again up to seven times a request,
    /// losing 1.3 % of the cap).
    @Test func aStartNothingPushesBackIsNowItself() {
        let budget = PaceBudget(account: "acct-test")
        var random = SeededRandom(seed: 11)
        for _ in 0..<1_000 {
            let now = Date(timeIntervalSince1970: 1_796_152_424 + Double(random.next() % 1_000_000_000) / 1e9)
            #expect(budget.earliestStart(count: 500, now: now, accountStarts: [], jobStarts: []) == now)
            let old = [(at: SlidingWindowLimit.microseconds(now.addingTimeInterval(-2)), count: 500)]
            #expect(budget.earliestStart(count: 500, now: now, accountStarts: old, jobStarts: old) == now)
        }
    }

    @Test func aFullWindowStillPushesTheStartToTheWindowsEnd() {
        let budget = PaceBudget(account: "acct-test")
        let now = Date(timeIntervalSince1970: 1_796_152_424.579_801_6)
        let full = [(at: SlidingWindowLimit.microseconds(now.addingTimeInterval(-0.5)), count: 500)]
        let start = budget.earliestStart(count: 1, now: now, accountStarts: full, jobStarts: [])
        #expect(SlidingWindowLimit.microseconds(start) == full[0].at + Int64(PaceBudget.platformWindow * 1_000_000))
    }
}
