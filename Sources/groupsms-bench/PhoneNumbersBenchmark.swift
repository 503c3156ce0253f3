import ArgumentParser
import Foundation
import GroupSMSPhoneNumbers

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
