import ArgumentParser
import Foundation
import GroupSMSXLSX
import GroupSMSPhoneNumbers

/// `groupsms-bench check`: the whole `groupsms check` process on messy recipient workbooks, side
/// by side with python-calamine reading column A of the same files.
///
/// Generates a 50,000-row file of numbers from 30 regions (typed the ways people type them,
/// with junk and repeats; text in a shared-strings table as Excel saves it) and a 1,000,000-row
/// job of 20 such files, then runs the release `groupsms check` binary on them as a child
/// process, so the figures include start-up, reading, normalising, deduplicating and printing.
/// Each groupsms run alternates with a run of the python-calamine peer (`CalaminePeer`) on the
/// same files; the ratios are groupsms ÷ calamine from the same run. The JSON output goes to
/// /dev/null in timed runs; one untimed run first checks that it is one whole object.
struct CheckBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Time the whole `groupsms check` process on 50,000 and 1,000,000 messy numbers, side by side with python-calamine (release).")

    @Option(help: "Timed runs (each side) on the 50,000-row file; at least 7.")
    var runs = 15

    @Option(help: "Timed runs (each side) on the 1,000,000-row job; at least 3.")
    var largeRuns = 5

    @Option(help: .hidden)
    var generateInto: String?

    @Option(help: .hidden)
    var verifyJson: String?

    @Option(help: .hidden)
    var importOnly: [String] = []

    func run() async throws {
        if let generateInto { return try Self.generateFiles(into: generateInto) }
        if let verifyJson { return try Self.verifyJSON(at: verifyJson) }
        if !importOnly.isEmpty { return try await Self.importOnce(importOnly) }
        guard runs >= 7, largeRuns >= 3 else { throw ValidationError("medians need --runs ≥ 7 and --large-runs ≥ 3") }
        let groupsms = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("groupsms").path
        guard FileManager.default.isExecutableFile(atPath: groupsms) else {
            throw BenchmarkError("build groupsms first (swift build -c release): \(groupsms) is missing")
        }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("groupsms-check-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // Generate in a child process: on Linux the ru_maxrss that wait4 reports for a spawned
        // child starts from this process's own peak, which generating here would make the
        // generator's (54 MiB) instead of groupsms's.
        let generator = try Measurement.runChild(
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path,
            ["check", "--generate-into", folder.path])
        guard generator.status == 0 else { throw BenchmarkError("generating the workbooks failed (\(generator.status))") }
        let files = Self.fileNames.map { folder.appendingPathComponent($0).path }
        let (peer, unavailable) = CalaminePeer.locate()
        if let unavailable { print(unavailable + "; groupsms figures only") }
        try Self.checkJSONOutput(groupsms, files, scratch: folder.path)
        print(String(format: "peak RSS of a child reads at least %.1f MiB (this process's anonymous memory, copied at fork)",
                     Measurement.childPeakFloorMiB()))

        let single = [files[0]]
        try compare("check --json, 50,000 messy rows", ["check", "--json"], single, runs: runs, ratio: 0.70, peakMB: 40)
        try compare("check --json, 1,000,000 rows in 20 files", ["check", "--json"], files, runs: largeRuns,
                    ratio: 0.70, peakMB: 160)
        try compare("check (text), 1,000,000 rows in 20 files", ["check"], files, runs: largeRuns, ratio: nil, peakMB: nil)
        try sendImport(files, runs: largeRuns)

        func compare(_ name: String, _ command: [String], _ paths: [String], runs: Int,
                     ratio: Double?, peakMB: Double?) throws {
            let expected = paths.count * 50_001
            try SideBySide(name: name, runs: runs, ratioTarget: ratio, peakTargetMB: peakMB).measure(
                ours: {
                    let run = try Measurement.runChild(groupsms, command + paths, output: .discard)
                    guard run.status == 0 else { throw BenchmarkError("groupsms \(command.joined(separator: " ")) exited \(run.status)") }
                    return run
                },
                peer: peer.map { peer in { try peer.run(paths, expectedCells: expected) } })
        }
    }

    /// `send` imports its files with the call `check` makes (`importWorkbooksConcurrently`)
    /// before it stores the job; timed alone here, in a child process, on the 20 files.
    private func sendImport(_ files: [String], runs: Int) throws {
        let bench = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var times: [Double] = []
        for _ in 0..<runs {
            let run = try Measurement.runChild(bench, ["check"] + files.flatMap { ["--import-only", $0] })
            guard run.status == 0, let ms = Double(String(decoding: run.output, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw BenchmarkError("the import child failed (\(run.status))")
            }
            times.append(ms)
        }
        print(String(format: "send's import of the same 1,000,000 rows (importWorkbooksConcurrently in process, %d runs): median %.1f ms",
                     runs, Measurement.median(times)))
    }

    /// Child mode: imports `files` as `send` does before storing the job; prints the milliseconds.
    private static func importOnce(_ files: [String]) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let report = try await RecipientImportBuilder.importWorkbooksConcurrently(files)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        guard report.valid > 0 else { throw BenchmarkError("the import found no valid number") }
        print(elapsed)
    }

    /// One untimed `check --json` of the 20 files into a file: it must be one JSON object with
    /// the spec's keys, holding a number for each distinct valid entry. Parsed in a child so
    /// that this process stays small (see `runChild`).
    private static func checkJSONOutput(_ groupsms: String, _ files: [String], scratch: String) throws {
        let output = scratch + "/check.json"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let run = try Measurement.runChild(groupsms, ["check", "--json"] + files, output: .file(output))
        guard run.status == 0 else { throw BenchmarkError("groupsms check --json exited \(run.status)") }
        let parse = try Measurement.runChild(
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path, ["check", "--verify-json", output])
        let verdict = String(decoding: parse.output, as: UTF8.self)
        guard parse.status == 0 else { throw BenchmarkError("check --json output: \(verdict)") }
        print("check --json on 20 files: " + verdict, terminator: "")
    }

    private static let fileNames = (1...20).map { "recipients\($0).xlsx" }

    /// Child mode: parses a `check --json` output file and prints what it holds.
    private static func verifyJSON(at path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchmarkError("not one JSON object")
        }
        let keys: Set = ["files", "valid", "duplicates", "invalid", "numbers", "warnings", "duplicateEntries"]
        guard Set(object.keys) == keys else { throw BenchmarkError("keys \(object.keys.sorted()), expected \(keys.sorted())") }
        guard let numbers = object["numbers"] as? [String], numbers.count == object["valid"] as? Int else {
            throw BenchmarkError("numbers does not hold `valid` numbers")
        }
        print("one JSON object, \(data.count) bytes, \(numbers.count) numbers")
    }

    /// Child mode: writes the 20 workbooks into `folder`.
    private static func generateFiles(into folder: String) throws {
        for (index, name) in fileNames.enumerated() {
            try writeWorkbook(MessyPhoneNumbers(count: 50_000, seed: UInt64(17 + index)), to: folder + "/" + name)
        }
    }

    /// Writes `numbers` as a recipient workbook under a "Phone number" header.
    static func writeWorkbook(_ numbers: MessyPhoneNumbers, to path: String) throws {
        var rows: [[XLSXValue]] = []
        numbers.forEachCell { _, value in
            switch value {
            case .number(let text): rows.append([.number(text)])
            default: rows.append([.text(value.displayText)])
            }
        }
        let sheet = XLSXSheet(name: "Recipients", header: ["Phone number"], rows: rows)
        try XLSXWriter(sheets: [sheet], stringStorage: .shared).write(to: path)
    }
}
