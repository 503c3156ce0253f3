import Foundation
import GroupSMSSimulator

/// What one send run showed in the simulator's log: requests, duplicates, the busiest second
/// and the achieved rate against the platform's cap of 500 numbers a second.
struct SendFigures {
    let outcome: String
    let requests: Int
    let accepted: Int
    let duplicates: Int
    let worstWindow: Int
    /// Accepted numbers over (last request − first request + 1 s).
    let rate: Double
    let wall: Double
    let cpu: Double

    init(outcome: String, records: [SimulatorRequestRecord], wall: Double, cpu: Double) {
        self.outcome = outcome
        let accepted = records.flatMap(\.acceptedNumbers)
        requests = records.count
        self.accepted = accepted.count
        duplicates = accepted.count - Set(accepted).count
        var worst = 0, tail = 0, sum = 0
        for record in records {
            sum += record.numbers.count
            while record.receivedAt.timeIntervalSince(records[tail].receivedAt) >= 1 {
                sum -= records[tail].numbers.count
                tail += 1
            }
            worst = max(worst, sum)
        }
        worstWindow = worst
        let span = (records.last?.receivedAt.timeIntervalSince(records[0].receivedAt) ?? 0) + 1
        rate = Double(accepted.count) / span
        self.wall = wall
        self.cpu = cpu
    }

    /// The achieved rate as a share of the cap.
    var shareOfCap: Double { rate / 500 }

    func printLines(indent: String = "  ") {
        print(String(format: "%@requests %d, accepted %d, duplicates %d, worst 1 s window %d numbers (limit 500)",
                     indent, requests, accepted, duplicates, worstWindow))
        print(String(format: "%@achieved rate %.1f numbers/s = %.2f%% of the cap (target >= 99%%), wall %.1f s",
                     indent, rate, shareOfCap * 100, wall))
        print(String(format: "%@CPU time %.2f s (user+system), peak RSS %.1f MiB", indent, cpu, Measurement.peakRSSOfSelf()))
    }

    /// Throws unless every number went once, within the cap.
    func check(numbers: Int) throws {
        guard duplicates == 0, worstWindow <= 500, accepted == numbers else {
            throw BenchmarkError("send run failed a correctness check (see the figures above)")
        }
    }
}
