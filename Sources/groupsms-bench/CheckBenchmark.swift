import ArgumentParser
import Foundation
import GroupSMSCore

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

    func run() throws {
        let groupsms = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("groupsms").path
        guard FileManager.default.isExecutableFile(atPath: groupsms) else {
            throw BenchmarkError("build groupsms first (swift build -c release): \(groupsms) is missing")
        }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("groupsms-check-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let files = try (0..<20).map { index in
            let path = folder.appendingPathComponent("recipients\(index + 1).xlsx").path
            try Self.writeWorkbook(MessyPhoneNumbers(count: 50_000, seed: UInt64(17 + index)), to: path)
            return path
        }
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
