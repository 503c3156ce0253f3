import Foundation

/// The largest number of numbers any window [t, t + window) holds, over request starts in µs:
/// the pace property the tests check on recorded starts and on the simulator's log.
public func busiestWindow(_ starts: [(at: Int64, count: Int)], window: Int64 = 1_000_000) -> Int {
    let sorted = starts.sorted { $0.at < $1.at }
    var best = 0
    var sum = 0
    var tail = 0
    // The busiest window can always be taken to begin at some start.
    for head in sorted.indices {
        while tail < sorted.count, sorted[tail].at < sorted[head].at + window {
            sum += sorted[tail].count
            tail += 1
        }
        best = max(best, sum)
        sum -= sorted[head].count
    }
    return best
}
