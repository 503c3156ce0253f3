import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers
import GroupSMSStore
import Synchronization

/// Measures send windows (SPEC §8) on a million numbers: the time-zone table's load, zone
/// lookups, the claim-time verdicts, the start forecast, and postponing a night's numbers in
/// the store, then releasing them at the opening under the pace.
struct SendWindowBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "windows",
        abstract: "Zone lookups, window verdicts and forecasts for 1,000,000 numbers; a 1,000,000-number mainland job "
            + "postponed at night and released at 08:00.")

    @Option(help: "Numbers to look at (a mix of Chinese mainland, UK, US and Russian numbers).")
    var numbers = 1_000_000

    @Option(help: "Chinese mainland numbers in the job postponed and released in the store.")
    var storeJob = 1_000_000

    @Option(help: "Chunks released at the opening.")
    var releasedChunks = 40

    func run() async throws {
        var started = ContinuousClock.now
        let table = try PhoneTimeZones.bundled()
        print(row("time-zone table (libphonenumber \(table.libphonenumberVersion)): parse on first use",
                  ms(ContinuousClock.now - started)))
        started = ContinuousClock.now
        let zones = try PhoneNumberZoneLookup()
        print(row("zone lookup: number metadata on first use", ms(ContinuousClock.now - started)))
        let sample = Self.mixedNumbers(numbers)
        var clock = ContinuousClock.now
        var found = 0
        for number in sample where !zones.zones(ofE164: number).zoneIDs.isEmpty { found += 1 }
        let lookup = ContinuousClock.now - clock
        print(row("zone lookup, \(numbers) numbers (\(found) with zones)", ms(lookup),
                  String(format: "%.0f ns/number", Double(lookup.nanoseconds) / Double(numbers))))
        let night = try Date.iso("2026-12-01T23:00:00+08:00")
        for (label, setting) in [("default", SendWindowSetting.regionDefaults),
                                 ("08:00-22:00 local", .everyNumber(try SendWindow(parsing: "08:00-22:00")))] {
            clock = ContinuousClock.now
            var held = 0
            for start in stride(from: 0, to: sample.count, by: 500) {
                var gate = SendWindowGate(setting: setting, sendBy: nil, at: night, zones: zones)
                for number in sample[start..<min(sample.count, start + 500)] {
                    if case .wait = gate.verdict(forE164: number) { held += 1 }
                }
            }
            print(row("claim verdicts (\(label)), gates of 500: \(held) held", ms(ContinuousClock.now - clock)))
            clock = ContinuousClock.now
            let forecast = SendWindowForecast(numbers: sample, setting: setting, start: night, zones: zones)
            print(row("start forecast (\(label)): \(forecast.postponed) postponed", ms(ContinuousClock.now - clock)))
        }
        try await postponeAndRelease(night: night)
    }

    /// A mainland job created at night: every number postponed in claims, then the first
    /// chunks released at 08:00 under the pace.
    private func postponeAndRelease(night: Date) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-bench-windows-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = BenchClock(now: night)
        let store = try JobStore(dataDirectory: directory, clock: clock)
        let draft = JobDraft(name: "night", settings: JobSettings(templateID: "tmpl0001", from: "8824110605", params: ["1"]),
                             numbers: (0..<storeJob).map { NumberDraft(e164: "+86139" + String(format: "%08d", $0)) })
        let lease = RunnerLease(pid: 1, host: "bench")
        let job = try await store.createJob(draft, runner: lease).id
        var claims: [Double] = []
        var postponed = 0
        while true {
            let started = ContinuousClock.now
            let claim = try await store.claimChunk(for: job, runner: lease)
            claims.append(ms(ContinuousClock.now - started))
            postponed += claim.postponed
            if !claim.hasMoreDue { break }
        }
        claims.sort()
        print(row("postpone \(postponed) numbers: \(claims.count) claims", claims.reduce(0, +),
                  String(format: "median %.1f ms, max %.1f ms a claim", claims[claims.count / 2], claims.last ?? 0)))
        clock.set(try Date.iso("2026-12-02T08:00:00+08:00"))
        let pace = PaceBudget(account: "bench")
        var releases: [Double] = []
        while releases.count < releasedChunks {
            let started = ContinuousClock.now
            let claim = try await store.claimChunk(for: job, runner: lease, pace: pace)
            if let wait = claim.paceWaitUntil {
                clock.set(wait)
                continue
            }
            releases.append(ms(ContinuousClock.now - started))
            guard let chunk = claim.chunk else { break }
            var outcomes: [String: NumberOutcome] = [:]
            for (index, number) in chunk.numbers.enumerated() { outcomes[number] = .accepted(smsMsgId: "\(chunk.id.rawValue)-\(index)") }
            _ = try await store.recordChunkAnswer(chunk.id, runner: lease, answer: ChunkAnswer(
                requestStartedAt: clock.now(), code: "000000", description: "Success", outcomes: outcomes,
                unlisted: .unconfirmed(description: "missing")))
        }
        releases.sort()
        print(row("release at 08:00: \(releases.count) claims of 500", releases.reduce(0, +),
                  String(format: "median %.1f ms a claim", releases[releases.count / 2])))
    }

    /// A mix of 60% Chinese mainland, 20% UK, 15% US and 5% Russian numbers, in turn.
    static func mixedNumbers(_ count: Int) -> [String] {
        (0..<count).map { index in
            let serial = String(format: "%06d", index % 1_000_000)
            switch index % 20 {
            case 0..<12: return "+86139" + String(format: "%08d", index)
            case 12..<16: return "+447400" + serial
            case 16..<19: return "+1212" + String(format: "%07d", 2_000_000 + index % 7_000_000)
            default: return "+7914" + String(format: "%07d", index % 10_000_000)
            }
        }
    }

    private func ms(_ duration: Duration) -> Double { Double(duration.nanoseconds) / 1e6 }

    private func row(_ label: String, _ milliseconds: Double, _ note: String = "") -> String {
        label.padding(toLength: max(label.count, 62), withPad: " ", startingAt: 0)
            + String(format: " %9.1f ms  ", milliseconds) + note
    }
}

/// A clock the benchmark sets by hand, so the night and the morning come at once.
final class BenchClock: WallClock, Sendable {
    private let current: Mutex<Date>

    init(now: Date) { current = Mutex(now) }

    func now() -> Date { current.withLock { $0 } }

    func set(_ date: Date) { current.withLock { $0 = date } }

    func sleep(until deadline: Date) async throws { set(max(now(), deadline)) }
}

extension Duration {
    /// The duration in nanoseconds.
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

extension Date {
    /// An ISO 8601 instant with an offset.
    static func iso(_ text: String) throws -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { throw ValidationError("not an instant: \(text)") }
        return date
    }
}
