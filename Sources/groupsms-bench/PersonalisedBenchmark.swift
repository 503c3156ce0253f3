import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers
import GroupSMSXLSX

/// `groupsms-bench personal`: personalised messages (SPEC §7, issue 13).
///
/// 1. Import: a 50,000-row workbook with two value columns (a name and a 6-digit code) against
///    the same numbers alone in column A. Each import runs in a child process (this executable
///    with `--scenario`), the two kinds alternating round by round, so that both see the same
///    machine; each child makes a fresh builder per timed import (after one untimed warm-up, so
///    the metadata load and pattern compilation are not counted) and reports its samples; the
///    parent reports the medians, their ratio (target ≤ 1.5) and each kind's peak RSS.
/// 2. Planning: 1,000,000 numbers' value tuples interned, then grouped into `batchSendDiffSms`
///    requests (≤ 500 numbers, ≤ 100 groups), then every request assembled as a claim would,
///    for three shapes of values (all distinct, 1,000 tuples, 10 tuples), in a child process.
struct PersonalisedBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "personal",
        abstract: "Import with two value columns against column A alone (50,000 rows), and plan 1,000,000 personalised numbers.")

    @Option(help: "Rounds of the import comparison (each round runs one child of each kind).")
    var rounds = 5

    @Option(help: "Timed imports per child.")
    var runs = 5

    @Option(help: "Timed plans of each shape of values.")
    var planRuns = 5

    @Option(help: ArgumentHelp("Run one scenario in this process (plain FILE, personal FILE, plan, generate DIR).",
                               visibility: .hidden))
    var scenario: [String] = []

    static let template = try! MessageTemplate(id: "parcel01", text: "Hi ${TXT_10}, your parcel code is ${NUM_6}.",
                                               kind: .notification, region: .international)

    func run() async throws {
        if !scenario.isEmpty { return try await runScenario() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-bench-personal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let executable = try Self.currentExecutable()
        _ = try Self.child(executable, ["--scenario", "generate", "--scenario", folder])
        let (plainPath, personalPath) = Self.paths(in: folder)
        let sizes = [plainPath, personalPath].map { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0 }
        print("50,000 rows (messy numbers, shared strings): column A only \(sizes[0]) bytes; with two value columns \(sizes[1]) bytes")
        try compareImports(executable, plain: plainPath, personal: personalPath)
        for (kind, path) in [("plain", plainPath), ("personal", personalPath)] {
            let read = try Self.child(executable, ["--scenario", "read-\(kind)", "--scenario", path, "--runs", String(runs * rounds)])
            Measurement.report("  XLSX reader alone, \(kind == "plain" ? "column A" : "variable columns")",
                               medianMs: Measurement.median(read.samples), peakMiB: read.run.peakRSSMiB, runs: runs * rounds,
                               target: String(format: "CPU %.1f ms", Measurement.median(read.cpu)))
        }
        let plan = try Self.child(executable, ["--scenario", "plan", "--plan-runs", String(planRuns)])
        for line in plan.lines where line.hasPrefix("summary ") { print("  " + line.dropFirst(8)) }
        for shape in PlanShape.allCases {
            Measurement.report("intern 1,000,000 tuples (\(shape.name))", medianMs: try plan.figure("\(shape.key)_intern_ms"),
                               peakMiB: plan.run.peakRSSMiB, runs: planRuns, target: "-")
            Measurement.report("  plan requests", medianMs: try plan.figure("\(shape.key)_plan_ms"),
                               peakMiB: plan.run.peakRSSMiB, runs: planRuns, target: "store part: < 10 s in all")
            Measurement.report("  assemble every request as a claim", medianMs: try plan.figure("\(shape.key)_claim_ms"),
                               peakMiB: plan.run.peakRSSMiB, runs: planRuns, target: "-")
        }
    }

    /// Alternates children of both kinds and reports medians, ratio and peak RSS.
    private func compareImports(_ executable: String, plain: String, personal: String) throws {
        var plainSamples: [Double] = [], personalSamples: [Double] = [], roundRatios: [Double] = []
        var plainCPU: [Double] = [], personalCPU: [Double] = []
        var plainPeak = 0.0, personalPeak = 0.0
        var summary = ""
        for _ in 0..<rounds {
            let a = try Self.child(executable, ["--scenario", "plain", "--scenario", plain, "--runs", String(runs)])
            let b = try Self.child(executable, ["--scenario", "personal", "--scenario", personal, "--runs", String(runs)])
            let (x, y) = (a.samples, b.samples)
            plainSamples += x
            personalSamples += y
            plainCPU += a.cpu
            personalCPU += b.cpu
            roundRatios.append(Measurement.median(y) / Measurement.median(x))
            plainPeak = max(plainPeak, a.run.peakRSSMiB)
            personalPeak = max(personalPeak, b.run.peakRSSMiB)
            summary = b.lines.first { $0.hasPrefix("summary ") }.map { String($0.dropFirst(8)) } ?? summary
        }
        print("  personalised import: " + summary)
        let total = rounds * runs
        let (plainMedian, personalMedian) = (Measurement.median(plainSamples), Measurement.median(personalSamples))
        Measurement.report("import 50,000 rows, column A only", medianMs: plainMedian, peakMiB: plainPeak, runs: total, target: "-")
        Measurement.report("import 50,000 rows + 2 value columns", medianMs: personalMedian, peakMiB: personalPeak,
                           runs: total, target: "≤ 1.5 × column A")
        print(String(format: "  ratio of medians %.2f; per-round ratios %@ (median %.2f)", personalMedian / plainMedian,
                     roundRatios.map { String(format: "%.2f", $0) }.joined(separator: " ") as NSString,
                     Measurement.median(roundRatios)))
        let (plainCPUMedian, personalCPUMedian) = (Measurement.median(plainCPU), Measurement.median(personalCPU))
        print(String(format: "  process CPU per import (both threads), medians: column A %.1f ms, with values %.1f ms, ratio %.2f",
                     plainCPUMedian, personalCPUMedian, personalCPUMedian / plainCPUMedian))
    }

    private func runScenario() async throws {
        switch scenario.first {
        case "generate": try Self.generate(into: scenario[1])
        case "plain": try await timeImports(scenario[1], personal: false)
        case "personal": try await timeImports(scenario[1], personal: true)
        case "plan": try timePlans()
        case "read-plain", "read-personal": try await timeReads(scenario[1], rows: scenario[0] == "read-personal")
        default: throw BenchmarkError("unknown scenario \(scenario)")
        }
    }

    /// One untimed import, then `runs` timed ones, each with a fresh builder; prints the wall
    /// and process CPU time (both threads) of each.
    private func timeImports(_ path: String, personal: Bool) async throws {
        var samples: [Double] = [], cpu: [Double] = []
        var report: RecipientImportReport?
        for run in 0...runs {
            report = nil
            let cpuStart = Self.processCPUMilliseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            report = personal
                ? try await RecipientImportBuilder.importWorkbooksWithVariables([path], variables: .init(template: Self.template))
                : try await RecipientImportBuilder.importWorkbooksConcurrently([path])
            if run > 0 {
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                cpu.append(Self.processCPUMilliseconds() - cpuStart)
            }
        }
        guard let report, report.valid > 40_000 else { throw BenchmarkError("implausible import: \(report?.valid ?? 0) valid") }
        if personal {
            guard let values = report.variables, values.valueSetIndices.count == report.valid else {
                throw BenchmarkError("the personalised import kept no values")
            }
            print("summary \(report.valid) valid, \(report.duplicates) duplicates, \(report.invalid.count) invalid; " +
                  "\(values.valueSets.count) distinct tuples, \(values.valueSets.byteCount) bytes of values")
        }
        print("samples " + samples.map { String($0) }.joined(separator: " "))
        print("cpu " + cpu.map { String($0) }.joined(separator: " "))
    }

    /// The reader alone: `runs` reads (after one untimed) with a body that only counts cells.
    private func timeReads(_ path: String, rows: Bool) async throws {
        var samples: [Double] = [], cpu: [Double] = []
        var cells = 0
        for run in 0...runs {
            cells = 0
            let cpuStart = Self.processCPUMilliseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            if rows {
                try await XLSXReader.readRowsBytes(paths: [path]) { event in
                    if case .row(_, let row) = event { cells += (1...row.width).filter { row.cell(column: $0) != nil }.count }
                }
            } else {
                try await XLSXReader.readColumnABytes(path: path) { _ in cells += 1 }
            }
            if run > 0 {
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                cpu.append(Self.processCPUMilliseconds() - cpuStart)
            }
        }
        print("summary \(cells) cells")
        print("samples " + samples.map { String($0) }.joined(separator: " "))
        print("cpu " + cpu.map { String($0) }.joined(separator: " "))
    }

    /// User and system CPU time of this process so far (all threads), in milliseconds.
    private static func processCPUMilliseconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3
    }

    /// Where the generated workbooks are.
    private static func paths(in folder: String) -> (String, String) {
        (folder + "/plain-50k.xlsx", folder + "/personal-50k.xlsx")
    }

    /// Writes the two workbooks: the same messy numbers, with and without a name and a code.
    private static func generate(into folder: String) throws {
        let numbers = MessyPhoneNumbers(count: 50_000, seed: 17)
        let names = ["Ann", "Bob", "Chen", "Dana", "Emil", "Fatima", "Giulia", "Hiro", "Ines", "Jamal", "Kofi", "Lena",
                     "Mateo", "Nia", "Olga", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "王芳", "李伟", "Zoë", "Åsa"]
        var random = SeededRandom(seed: 99)
        var plainRows: [[XLSXValue]] = []
        var personalRows: [[XLSXValue]] = []
        numbers.forEachCell { _, value in
            let cell: XLSXValue = if case .number(let text) = value { .number(text) } else { .text(value.displayText) }
            plainRows.append([cell])
            let name = names[Int(random.next() % UInt64(names.count))]
            let code = String(100_000 + random.next() % 900_000)
            personalRows.append([cell, .text(name), .number(code)])
        }
        let (plainPath, personalPath) = paths(in: folder)
        try XLSXWriter(sheets: [XLSXSheet(name: "Numbers", header: ["Phone"], rows: plainRows)], stringStorage: .shared)
            .write(to: plainPath)
        try XLSXWriter(sheets: [XLSXSheet(name: "Numbers", header: ["Phone", "Name", "Code"], rows: personalRows)],
                       stringStorage: .shared).write(to: personalPath)
    }

    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    /// A finished child and what it printed.
    private struct ChildFigures {
        let run: Measurement.ChildRun
        let lines: [String]

        func figure(_ key: String) throws -> Double {
            for line in lines where line.hasPrefix(key + " ") {
                if let value = Double(line.dropFirst(key.count + 1)) { return value }
            }
            throw BenchmarkError("child printed no \(key): \(lines)")
        }

        var samples: [Double] { series("samples") }
        var cpu: [Double] { series("cpu") }

        private func series(_ key: String) -> [Double] {
            lines.first { $0.hasPrefix(key + " ") }.map { $0.split(separator: " ").dropFirst().compactMap { Double($0) } } ?? []
        }
    }

    private static func child(_ executable: String, _ arguments: [String]) throws -> ChildFigures {
        let run = try Measurement.runChild(executable, ["personal"] + arguments)
        guard run.status == 0 else { throw BenchmarkError("child \(arguments) exited with \(run.status)") }
        let lines = String(decoding: run.output, as: UTF8.self).split(separator: "\n").map(String.init)
        return ChildFigures(run: run, lines: lines)
    }

    private static func currentExecutable() throws -> String {
        let path = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        guard FileManager.default.isExecutableFile(atPath: path) else { throw BenchmarkError("cannot find this executable (\(path))") }
        return path
    }
}
