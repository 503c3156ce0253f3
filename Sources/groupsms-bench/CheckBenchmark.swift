import ArgumentParser
import Foundation
import GroupSMSXLSX

/// `groupsms-bench check`: the whole `groupsms check` process on messy recipient workbooks.
///
/// Generates a 50,000-row file of numbers from 30 regions (typed the ways people type them,
/// with junk and repeats; text in a shared-strings table as Excel saves it) and a 1,000,000-row
/// job of 20 such files, then runs the release `groupsms check` binary on them as a child
/// process, so the figures include start-up, reading, normalising, deduplicating and printing.
struct CheckBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Time the whole `groupsms check` process on 50,000 and 1,000,000 messy numbers (release).")

    @Option(help: "Timed runs on the 50,000-row file.")
    var runs = 15

    @Option(help: "Timed runs on the 1,000,000-row job.")
    var largeRuns = 5

    @Option(help: .hidden)
    var generateInto: String?

    func run() throws {
        if let generateInto { return try Self.generateFiles(into: generateInto) }
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
        try measure("groupsms check, 50,000 rows, 30 regions", [files[0]], runs: runs, target: "< 80 ms, < 48 MB")
        try measure("groupsms check, 1,000,000 rows in 20 files", files, runs: largeRuns, target: "< 1.5 s, < 160 MB")

        func measure(_ name: String, _ paths: [String], runs: Int, target: String) throws {
            var times: [Double] = []
            var peak = 0.0
            var cpu: [Double] = []
            for _ in 0..<runs {
                let run = try Measurement.runChild(groupsms, ["check"] + paths)
                guard run.status == 0 else {
                    throw BenchmarkError("groupsms check exited \(run.status)")
                }
                times.append(run.milliseconds)
                cpu.append((run.userCPUSeconds + run.systemCPUSeconds) * 1000)
                peak = max(peak, run.peakRSSMiB)
            }
            Measurement.report(name, medianMs: Measurement.median(times), peakMiB: peak, runs: runs, target: target)
            print(String(format: "  CPU time (user+sys) median %.1f ms", Measurement.median(cpu)))
        }
    }

    private static let fileNames = (1...20).map { "recipients\($0).xlsx" }

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
