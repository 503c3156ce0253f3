import ArgumentParser
import Foundation
import GroupSMSCore

/// `groupsms-bench phone`: normalise and deduplicate messy recipient numbers.
///
/// Each scenario runs in a child process so that its peak RSS is its own: the metadata load
/// (table parse and the default region's prefix rules, once per process; number patterns
/// compile when first needed), a 50,000-row file from 30 regions, and a 1,000,000-number job
/// in 20 files (peak RSS includes the generated input, about 1 MB per 50,000 cells). Every timed run uses a fresh
/// `RecipientImportBuilder`, so it pays the per-process pattern compilation a real
/// `groupsms check` pays. Wall and thread-CPU times are both reported: the CPU time does not
/// grow when other processes compete for the cores.
struct PhoneNumbersBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phone",
        abstract: "Normalise and deduplicate 50,000 and 1,000,000 messy numbers (run in release).")

    @Option(help: "Timed runs of the 50,000-number file.")
    var runs = 15

    @Option(help: "Timed runs of the 1,000,000-number job.")
    var largeRuns = 5

    @Option(help: "Child processes that time the metadata load.")
    var loadRuns = 15

    @Option(help: ArgumentHelp("Run one scenario in this process (load, 50k, 1m).", visibility: .hidden))
    var scenario: String?

    func run() throws {
        if let scenario {
            try runScenario(scenario)
            return
        }
        let executable = try Self.currentExecutable()
        print("libphonenumber metadata \(PhoneNumberNormalizer.libphonenumberVersion)")

        var loads: [Double] = []
        var loadCPU: [Double] = []
        var compiles: [Double] = []
        var loadPeak = 0.0
        for _ in 0..<loadRuns {
            let child = try Self.child(executable, ["--scenario", "load"])
            loads.append(try child.figure("load_ms"))
            loadCPU.append(try child.figure("load_cpu_ms"))
            compiles.append(try child.figure("compile30_ms"))
            loadPeak = max(loadPeak, child.run.peakRSSMiB)
        }
        Measurement.report("metadata load + CN prefix rules (cold process)", medianMs: Measurement.median(loads),
                           peakMiB: loadPeak, runs: loadRuns, target: "< 5 ms")
        Measurement.report("  same, thread CPU time", medianMs: Measurement.median(loadCPU),
                           peakMiB: loadPeak, runs: loadRuns, target: "-")
        Measurement.report("  first number of 30 regions (compile)", medianMs: Measurement.median(compiles),
                           peakMiB: loadPeak, runs: loadRuns, target: "-")

        let file = try Self.child(executable, ["--scenario", "50k", "--runs", String(runs)])
        print(file.summary)
        Measurement.report("normalise+dedupe 50,000 numbers, 30 regions", medianMs: try file.figure("median_ms"),
                           peakMiB: file.run.peakRSSMiB, runs: runs, target: "< 25 ms (check: 80 ms, 48 MB)")
        Measurement.report("  same, thread CPU time", medianMs: try file.figure("median_cpu_ms"),
                           peakMiB: file.run.peakRSSMiB, runs: runs, target: "-")

        let job = try Self.child(executable, ["--scenario", "1m", "--large-runs", String(largeRuns)])
        print(job.summary)
        Measurement.report("normalise+dedupe 1,000,000 numbers, 20 files", medianMs: try job.figure("median_ms"),
                           peakMiB: job.run.peakRSSMiB, runs: largeRuns, target: "check: 1.5 s, 160 MB")
        Measurement.report("  same, thread CPU time", medianMs: try job.figure("median_cpu_ms"),
                           peakMiB: job.run.peakRSSMiB, runs: largeRuns, target: "-")
    }

    private func runScenario(_ name: String) throws {
        switch name {
        case "load":
            // The first normaliser of a process parses the metadata table.
            let cpuStart = Self.threadCPUMilliseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            let normalizer = try PhoneNumberNormalizer(defaultRegion: "CN")
            let loaded = DispatchTime.now().uptimeNanoseconds
            let cpuLoaded = Self.threadCPUMilliseconds()
            let examples = MessyPhoneNumbers.regions.map { MessyPhoneNumbers.example($0.code) }
            let compileStart = DispatchTime.now().uptimeNanoseconds
            for example in examples { _ = normalizer.normalize(text: example) }
            let compiled = DispatchTime.now().uptimeNanoseconds
            print("load_ms \(Double(loaded - start) / 1e6)")
            print("load_cpu_ms \(cpuLoaded - cpuStart)")
            print("compile30_ms \(Double(compiled - compileStart) / 1e6)")
        case "50k":
            try timeJob(files: 1, runs: runs)
        case "1m":
            try timeJob(files: 20, runs: largeRuns)
        default:
            throw BenchmarkError("unknown scenario \(name)")
        }
    }

    /// Times `runs` imports of `files` files of 50,000 cells. Each cell's `String` is made
    /// right before it is added, as a streaming reader hands it over; that costs a few ms per
    /// 50,000 and is included (so the figure slightly overstates the phone layer).
    private func timeJob(files: Int, runs: Int) throws {
        let groups = (0..<files).map { MessyPhoneNumbers(count: 50_000, seed: UInt64(17 + $0)) }
        let cells = (0...50_001).map { "A\($0)" }
        var report: RecipientImportReport?
        var samples: [Double] = []
        var cpuSamples: [Double] = []
        for _ in 0..<runs {
            report = nil  // the previous run's report would add to this run's peak
            var wall: UInt64 = 0
            var cpu = 0.0
            func timed<T>(_ body: () throws -> T) rethrows -> T {
                let cpuStart = Self.threadCPUMilliseconds()
                let start = DispatchTime.now().uptimeNanoseconds
                defer {
                    wall += DispatchTime.now().uptimeNanoseconds - start
                    cpu += Self.threadCPUMilliseconds() - cpuStart
                }
                return try body()
            }
            do {
                var builder = try timed { try RecipientImportBuilder(defaultRegion: "CN") }
                for (index, group) in groups.enumerated() {
                    try timed {
                        try builder.beginFile("group-\(index + 1).xlsx")
                        try group.forEachCell { row, value in try builder.add(cell: cells[row + 1], value: value) }
                        try builder.endFile()
                    }
                }
                report = try timed { try builder.finish() }
            } catch {
                throw BenchmarkError("import refused: \(error)")
            }
            samples.append(Double(wall) / 1e6)
            cpuSamples.append(cpu)
        }
        guard let report, report.valid + report.duplicates > files * 40_000 else {
            throw BenchmarkError("implausible result: \(report?.valid ?? 0) valid numbers")
        }
        let invalid = report.files.reduce(0) { $0 + $1.invalid }
        print("summary \(files * 50_000) entries: \(report.valid) valid, \(report.duplicates) duplicates, " +
              "\(invalid) invalid, \(report.warnings.count) warnings; runs (ms): " +
              samples.map { String(format: "%.1f", $0) }.joined(separator: " "))
        print("median_ms \(Measurement.median(samples))")
        print("median_cpu_ms \(Measurement.median(cpuSamples))")
    }

    /// CPU time of this thread: unlike wall time, it does not grow when other processes
    /// compete for the cores.
    private static func threadCPUMilliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e3 + Double(time.tv_nsec) / 1e6
    }

    /// A finished child scenario and the figures it printed.
    private struct ChildFigures {
        let run: Measurement.ChildRun
        let lines: [String]

        func figure(_ key: String) throws -> Double {
            for line in lines where line.hasPrefix(key + " ") {
                if let value = Double(line.dropFirst(key.count + 1)) { return value }
            }
            throw BenchmarkError("child printed no \(key): \(lines)")
        }

        var summary: String {
            lines.first { $0.hasPrefix("summary ") }.map { "  " + $0.dropFirst(8) } ?? ""
        }
    }

    private static func child(_ executable: String, _ arguments: [String]) throws -> ChildFigures {
        let run = try Measurement.runChild(executable, ["phone"] + arguments)
        guard run.status == 0 else { throw BenchmarkError("child \(arguments) exited with \(run.status)") }
        let lines = String(decoding: run.output, as: UTF8.self).split(separator: "\n").map(String.init)
        return ChildFigures(run: run, lines: lines)
    }

    private static func currentExecutable() throws -> String {
        let path = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchmarkError("cannot find this executable (\(path))")
        }
        return path
    }
}

/// Deterministic messy recipient cells: numbers of 30 regions typed the ways people type
/// them (separators, 00, brackets, apostrophes, no-break spaces, full-width digits, numeric
/// cells in integer and exponent form), about 3% junk and 5% repeats. Stored as one byte
/// buffer so that the input itself stays small.
private struct MessyPhoneNumbers {
    /// Region, calling code and share of the numbers (CN, the default region, dominates).
    static let regions: [(code: String, callingCode: String, weight: UInt64)] = [
        ("CN", "86", 40), ("US", "1", 4), ("GB", "44", 4), ("DE", "49", 3), ("FR", "33", 3), ("IT", "39", 2),
        ("ES", "34", 2), ("JP", "81", 3), ("KR", "82", 2), ("IN", "91", 3), ("BR", "55", 2), ("AR", "54", 1),
        ("MX", "52", 2), ("RU", "7", 2), ("AU", "61", 2), ("CA", "1", 2), ("SG", "65", 2), ("HK", "852", 3),
        ("TW", "886", 2), ("MY", "60", 2), ("TH", "66", 2), ("VN", "84", 2), ("ID", "62", 2), ("PH", "63", 2),
        ("TR", "90", 1), ("SA", "966", 1), ("AE", "971", 1), ("ZA", "27", 1), ("NG", "234", 1), ("EG", "20", 1),
    ]
    private static let junk = ["n/a", "123", "+999 1234 5678", "call me", "131 1234 567", "#N/A", "0", "+86 131 1234 5678 ext 9"]

    private var bytes: [UInt8] = []
    /// Per cell: start offset in `bytes` and length, with the top bit of the length set for
    /// numeric cells (8 bytes a cell, so a million cells stay small).
    private var cells: [(start: UInt32, length: UInt32)] = []
    private static let numericFlag: UInt32 = 1 << 31

    static func example(_ region: String) -> String {
        PhoneNumberNormalizer.exampleNumber(region: region, type: .mobile)
            ?? PhoneNumberNormalizer.exampleNumber(region: region, type: .fixedLine) ?? "+8613123456789"
    }

    init(count: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let totalWeight = Self.regions.reduce(0) { $0 + $1.weight }
        cells.reserveCapacity(count)
        for _ in 0..<count {
            let roll = random.next() % 100
            if roll < 3 {
                append(Self.junk[Int(random.next() % UInt64(Self.junk.count))], numeric: false)
            } else if roll < 8, !cells.isEmpty {
                cells.append(cells[Int(random.next() % UInt64(cells.count))])
            } else {
                var pick = random.next() % totalWeight
                let region = Self.regions.first { entry in
                    if pick < entry.weight { return true }
                    pick -= entry.weight
                    return false
                } ?? Self.regions[0]
                let (text, numeric) = Self.typed(region, &random)
                append(text, numeric: numeric)
            }
        }
    }

    private mutating func append(_ text: String, numeric: Bool) {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        cells.append((UInt32(start), UInt32(bytes.count - start) | (numeric ? Self.numericFlag : 0)))
    }

    /// Calls `body` with each row index and cell, making the `String` the reader would make.
    func forEachCell(_ body: (Int, RecipientCellValue) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { buffer in
            for (row, cell) in cells.enumerated() {
                let start = Int(cell.start)
                let end = start + Int(cell.length & ~Self.numericFlag)
                let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
                try body(row, cell.length & Self.numericFlag != 0 ? .number(text) : .text(text))
            }
        }
    }

    /// One number of `region`, with its last digits varied, typed in one of a dozen ways.
    private static func typed(_ region: (code: String, callingCode: String, weight: UInt64),
                              _ random: inout SplitMix64) -> (String, Bool) {
        let type: PhoneNumberType = random.next() % 100 < 88 ? .mobile : .fixedLine
        let example = PhoneNumberNormalizer.exampleNumber(region: region.code, type: type) ?? example(region.code)
        var national = Array(example.dropFirst(1 + region.callingCode.count))
        for index in max(national.count - 6, 3)..<national.count {
            national[index] = Character(String(random.next() % 10))
        }
        let nsn = String(national)
        let code = region.callingCode
        func grouped(_ separator: String) -> String {
            var parts: [String] = []
            var rest = Substring(nsn)
            while !rest.isEmpty {
                let size = rest.count > 5 ? (parts.isEmpty ? 3 : 4) : rest.count
                parts.append(String(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            return parts.joined(separator: separator)
        }
        if region.code == "CN" {
            switch random.next() % 8 {
            case 0: return (grouped(" "), false)
            case 1: return (grouped("-"), false)
            case 2: return (nsn, false)
            case 3: return (nsn, true)
            case 4: return random.next() % 2 == 0 ? ("86" + nsn, true) : (exponentForm("86" + nsn), true)
            case 5: return ("+86 " + grouped(" "), false)
            case 6: return ("0086" + nsn, false)
            default: return ("86 " + grouped(" "), false)
            }
        }
        switch random.next() % 20 {
        case 0, 1, 2, 3: return ("+\(code) " + grouped(" "), false)
        case 4, 5: return ("+\(code)-" + grouped("-"), false)
        case 6, 7: return ("00\(code) " + grouped(" "), false)
        case 8: return ("(+\(code)) " + grouped(" "), false)
        case 9: return (code + nsn, true)
        case 10: return ("+\(code) (" + nsn.prefix(3) + ") " + nsn.dropFirst(3), false)
        case 11: return ("+\(code)/" + nsn, false)
        case 12: return ("'+\(code)" + nsn, false)
        case 13: return ("+\(code)\u{00A0}" + grouped("\u{00A0}"), false)
        case 14: return (fullWidth("+\(code) " + grouped(" ")), false)
        case 15: return ("+\(code)." + grouped("."), false)
        default: return ("+\(code)\(nsn)", false)
        }
    }

    /// Excel's exponent form of an integer: 8613112345678 → "8.613112345678E+12".
    private static func exponentForm(_ digits: String) -> String {
        var mantissa = String(digits.prefix(1)) + "." + digits.dropFirst()
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
        return mantissa + "E+\(digits.count - 1)"
    }

    private static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar {
            case "0"..."9", "+": Unicode.Scalar(scalar.value + 0xFEE0) ?? scalar
            case " ": "\u{3000}"
            default: scalar
            }
        }))
    }
}

/// A small seedable generator, so every run and every machine sees the same numbers.
private struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
