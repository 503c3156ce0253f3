import Foundation
import Testing
@testable import GroupSMSModel

@Suite struct SendWindowEvaluatorTests {
    typealias Kit = SendWindowTestKit

    static let zoneSets: [[String]] = [
        ["Asia/Shanghai"], ["America/New_York"], ["Europe/London"], ["Australia/Lord_Howe"],
        ["America/Boise", "America/Los_Angeles"], ["Pacific/Auckland", "Pacific/Chatham"],
        ["Asia/Kolkata"], ["America/St_Johns", "America/Halifax"], ["Europe/Moscow", "Asia/Yekaterinburg"],
        ["America/Adak", "Pacific/Guam"], [],
    ]
    static let windows = ["08:00-22:00", "20:00-08:00", "02:30-03:30", "00:00-23:59", "01:15-01:45"]

    /// Every decision agrees with the local clock readings Calendar gives, at instants sampled
    /// over two years (so across many daylight-saving changes): open exactly when all zones
    /// read inside the window, opening at an instant that is open after a closed second, and
    /// closing at an instant that is closed after an open second.
    @Test func decisionsAgreeWithCalendarClockReadings() throws {
        var random = SeededRandom(seed: 20_260_308)
        let start = try Kit.instant("2026-01-01T00:00:00Z").timeIntervalSince1970
        var checked = 0, neverOpen = 0
        for text in Self.windows {
            let window = try SendWindow(parsing: text)
            for zones in Self.zoneSets {
                let reference = zones.isEmpty ? ["UTC"] : zones
                var neverOpenHere = 0
                for _ in 0..<30 {
                    let instant = Date(timeIntervalSince1970: start + Double(Int.random(in: 0..<63_072_000, using: &random)))
                    let decision = SendWindowSchedule.decision(for: SendWindowRule(window: window, zoneIDs: zones), at: instant)
                    if decision == .neverOpens { neverOpenHere += 1 }
                    // Proving "never" takes a scan of the whole look-ahead: do it once per pair.
                    if decision != .neverOpens || neverOpenHere <= 1 {
                        try check(decision, window: window, zones: reference, at: instant)
                    }
                    checked += 1
                }
                neverOpen += neverOpenHere
            }
        }
        #expect(checked == 1_650)
        // Short windows in zones hours apart (Moscow and Yekaterinburg, Adak and Guam) never overlap.
        #expect(neverOpen > 0 && neverOpen < checked / 4)
    }

    private func check(_ decision: SendWindowDecision, window: SendWindow, zones: [String], at instant: Date) throws {
        let open = { (date: Date) throws -> Bool in try Kit.openEverywhere(window, zones, at: date) }
        let context = "\(window) in \(zones) at \(instant)"
        switch decision {
        case .open(let closesAt):
            #expect(try open(instant), "\(context)")
            let closesAt = try #require(closesAt, "\(context)")
            #expect(try open(closesAt - 1) && !open(closesAt), "\(context): closes at \(closesAt)")
        case .closed(let opensAt):
            #expect(try !open(instant), "\(context)")
            #expect(try open(opensAt) && !open(opensAt - 1), "\(context): opens at \(opensAt)")
            // No earlier opening: step through the closed stretch a minute at a time.
            var probe = instant
            while probe < opensAt - 60 {
                let isOpen = try open(probe)
                #expect(!isOpen, "\(context): open at \(probe), before \(opensAt)")
                if isOpen { break }
                probe += 60
            }
        case .neverOpens:
            // Zone offsets and window edges are whole minutes, so minute steps see every opening.
            let minute = (instant.timeIntervalSince1970 / 60).rounded(.up) * 60
            for step in 0..<(SendWindowSchedule.horizonDays * 1440) {
                let probe = Date(timeIntervalSince1970: minute + Double(step * 60))
                let isOpen = try open(probe)
                #expect(!isOpen, "\(context): said never to open, but open at \(probe)")
                if isOpen { break }
            }
        }
    }

    @Test func theEvaluatorGivesTheUncachedDecisionsAndRemembersZoneSets() throws {
        let instant = try Kit.instant("2026-03-08T06:30:00Z")
        for setting in [SendWindowSetting.regionDefaults, .any, .everyNumber(try SendWindow(parsing: "09:00-21:00"))] {
            var evaluator = SendWindowEvaluator(setting: setting, at: instant)
            for round in 0..<3 {
                for zones in Self.zoneSets {
                    for region in ["CN", "US"] {
                        let expected = SendWindowSchedule.decision(setting: setting, regionCode: region, zoneIDs: zones, at: instant)
                        #expect(evaluator.decision(regionCode: region, zoneIDs: zones) == expected,
                                "\(setting) \(region) \(zones) round \(round)")
                    }
                }
            }
            let expectedSets = switch setting {
            case .regionDefaults: 1
            case .any: 0
            case .everyNumber: Self.zoneSets.count
            }
            #expect(evaluator.rememberedZoneSets == expectedSets, "\(setting)")
        }
    }

    @Test func aMillionNumbersShareAFewZoneSets() throws {
        let instant = try Kit.instant("2026-06-10T12:00:00Z")
        var evaluator = SendWindowEvaluator(setting: .everyNumber(try SendWindow(parsing: "09:00-21:00")), at: instant)
        var open = 0
        let started = ContinuousClock.now
        for index in 0..<1_000_000 {
            if evaluator.decision(regionCode: "US", zoneIDs: Self.zoneSets[index % Self.zoneSets.count]).isOpen { open += 1 }
        }
        let elapsed = ContinuousClock.now - started
        print("send windows: 1000000 evaluator decisions in \(elapsed) (debug build), \(open) open")
        #expect(evaluator.rememberedZoneSets == Self.zoneSets.count)
        #expect(open > 0 && open < 1_000_000)
    }
}
