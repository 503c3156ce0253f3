import Foundation
import Testing
@testable import GroupSMSModel
import GroupSMSTestSupport


@Suite struct SlidingWindowLimitTests {
    let origin = Date(timeIntervalSince1970: 1_796_083_200)

    @Test(arguments: 0..<40)
    func generatedSchedulesNeverExceedTheRateInAnyWindow(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed) &* 7_919 &+ 1)
        let rate = [500, 500, 120, 37, 1][seed % 5]
        var limit = SlidingWindowLimit(rate: rate)
        var now = origin
        var starts: [(at: Int64, count: Int)] = []
        for _ in 0..<400 {
            let count = Int.random(in: 1...rate, using: &random)
            now = now.addingTimeInterval([0, 0, 0.001, 0.05, 0.3, 1.2].randomElement(using: &random)!)
            let earliest = limit.earliestStart(count: count, notBefore: now)
            let micros = SlidingWindowLimit.microseconds
            #expect(micros(earliest) >= micros(now))
            if micros(earliest) > micros(now) {
                // Tight: one microsecond earlier the request would not have fitted.
                let before = micros(earliest) - 1
                #expect(busiestWindow(starts + [(before, count)]) > rate)
            }
            // A caller may start later than allowed (scheduling delay), never earlier.
            let jitter = [0, 0, 0.0007, 0.02].randomElement(using: &random)!
            let start = limit.record(count: count, at: earliest.addingTimeInterval(jitter))
            starts.append((SlidingWindowLimit.microseconds(start), count))
            now = start
        }
        #expect(busiestWindow(starts) <= rate)
    }

    @Test func fullChunksAtTheRateStartExactlyOneSecondApart() {
        var limit = SlidingWindowLimit(rate: 500)
        var now = origin
        var gaps: Set<Int64> = []
        var previous: Int64?
        for _ in 0..<50 {
            let start = limit.record(count: 500, at: limit.earliestStart(count: 500, notBefore: now))
            let micros = SlidingWindowLimit.microseconds(start)
            if let previous { gaps.insert(micros - previous) }
            previous = micros
            now = start
        }
        #expect(gaps == [1_000_000])
    }

    @Test func aBurstStraddlingASecondBoundaryIsRefused() {
        // A token bucket refilled at 500/s with a 500 burst would let these two through 1 ms apart.
        var limit = SlidingWindowLimit(rate: 500)
        limit.record(count: 500, at: origin.addingTimeInterval(0.999))
        let next = limit.earliestStart(count: 500, notBefore: origin.addingTimeInterval(1.0))
        let micros = SlidingWindowLimit.microseconds
        #expect(micros(next) == micros(origin) + 1_999_000)
        limit.record(count: 200, at: next)
        #expect(micros(limit.earliestStart(count: 300, notBefore: next)) == micros(next))
        #expect(micros(limit.earliestStart(count: 301, notBefore: next)) == micros(next) + 1_000_000)
    }
}
