import Foundation
import Testing
@testable import GroupSMSModel
import GroupSMSTestSupport

@Suite struct FrequencyLimitsTests {
    let t0 = Date(timeIntervalSince1970: 1_796_083_200)
    let limits = FrequencyLimits.platform
    let margin = FrequencyLimits.platform.safetyMargin

    private func sends(_ offsets: [Double], key: String = "k") -> [SendRecord] {
        offsets.map { SendRecord(contentKey: key, sentAt: t0.addingTimeInterval($0)) }
    }

    @Test func noHistoryMeansSendNow() {
        #expect(limits.decide(history: [], contentKey: "k", now: t0, maxDefer: 3600) == .sendNow)
    }

    @Test func fifteenPerMinuteOfAnyContent() {
        let history = (0..<15).map { SendRecord(contentKey: "k\($0)", sentAt: t0.addingTimeInterval(Double($0))) }
        let now = t0.addingTimeInterval(20)
        #expect(limits.decide(history: history, contentKey: "new", now: now, maxDefer: 3600)
                == .deferUntil(t0.addingTimeInterval(60 + margin), rule: "15 messages per minute"))
        #expect(limits.decide(history: Array(history.dropFirst()), contentKey: "new", now: now, maxDefer: 3600) == .sendNow)
    }

    @Test func sameContentTwicePer59Seconds() {
        let history = sends([0, 10])
        let now = t0.addingTimeInterval(20)
        #expect(limits.decide(history: history, contentKey: "k", now: now, maxDefer: 3600)
                == .deferUntil(t0.addingTimeInterval(59 + margin), rule: "the same content 2 times per 59 seconds"))
        #expect(limits.decide(history: history, contentKey: "other", now: now, maxDefer: 3600) == .sendNow)
        // At the instant the window has passed, it may go.
        #expect(limits.decide(history: history, contentKey: "k", now: t0.addingTimeInterval(59 + margin),
                              maxDefer: 3600) == .sendNow)
    }

    @Test func sameContentFiveTimesPer59Minutes() {
        let history = sends([0, 100, 200, 300, 400])
        let now = t0.addingTimeInterval(500)
        #expect(limits.decide(history: history, contentKey: "k", now: now, maxDefer: 3600)
                == .deferUntil(t0.addingTimeInterval(3540 + margin), rule: "the same content 5 times per 59 minutes"))
    }

    @Test func aWaitLongerThanMaxDeferIsALocalLimitWithItsTime() {
        let history = (0..<50).map { SendRecord(contentKey: "k\($0)", sentAt: t0.addingTimeInterval(Double($0) * 120)) }
        let now = t0.addingTimeInterval(50 * 120)
        #expect(limits.decide(history: history, contentKey: "x", now: now, maxDefer: 3600)
                == .localLimit(allowedAt: t0.addingTimeInterval(86_400 + margin), rule: "50 messages per 24 hours"))
        // The same wait is a deferral when max-defer is long enough.
        #expect(limits.decide(history: history, contentKey: "x", now: now, maxDefer: 86_400)
                == .deferUntil(t0.addingTimeInterval(86_400 + margin), rule: "50 messages per 24 hours"))
        // The wait is exactly max-defer: still deferred.
        #expect(limits.decide(history: sends([0, 10]), contentKey: "k", now: t0.addingTimeInterval(20),
                              maxDefer: 39 + margin) == .deferUntil(t0.addingTimeInterval(59 + margin),
                                                                    rule: "the same content 2 times per 59 seconds"))
    }

    @Test(arguments: 0..<20)
    func earliestAllowedIsTheFirstInstantEveryRuleAllows(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed) + 101)
        let history = (0..<Int.random(in: 0...60, using: &random)).map { _ in
            SendRecord(contentKey: ["a", "b"].randomElement(using: &random)!,
                       sentAt: t0.addingTimeInterval(-Double.random(in: 0...90_000, using: &random).rounded()))
        }
        let (allowed, _) = limits.earliestAllowed(history: history, contentKey: "a", now: t0)
        func breaksARule(at time: Date) -> Bool {
            limits.rules.contains { rule in
                history.filter { $0.sentAt > time.addingTimeInterval(-(rule.window + margin))
                    && (!rule.sameContentOnly || $0.contentKey == "a") }.count >= rule.limit
            }
        }
        #expect(allowed >= t0)
        #expect(!breaksARule(at: allowed))
        if allowed > t0 { #expect(breaksARule(at: allowed.addingTimeInterval(-0.001))) }
    }

    @Test func contentKeysSeparateTheirParts() {
        let key = ContentKey.make(templateID: "t", params: ["ab", "c"], signature: "s")
        #expect(key.count == 16)
        #expect(key == ContentKey.make(templateID: "t", params: ["ab", "c"], signature: "s"))
        #expect(key != ContentKey.make(templateID: "t", params: ["a", "bc"], signature: "s"))
        #expect(key != ContentKey.make(templateID: "t", params: ["ab", "c"], signature: nil))
        #expect(ContentKey.make(templateID: "t", params: [], signature: "") != ContentKey.make(templateID: "t", params: [], signature: nil))
        #expect(key != ContentKey.make(templateID: "u", params: ["ab", "c"], signature: "s"))
    }
}
