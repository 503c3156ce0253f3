import ArgumentParser
import Foundation
import GroupSMSXLSX

/// `groupsms-bench xlsx`: generates recipient files with `XLSXWriter` and times `XLSXReader`,
/// in process and as a whole process side by side with python-calamine on the same files.
///
/// Generating and reading happen in child processes (this executable with `--generate-into`
/// and `--read`), so the figures are the reader's alone and this process stays small. The
/// reading child reports its own peak RSS (VmHWM). Whole-process reads alternate with runs of
/// the python-calamine peer (`CalaminePeer`); ratios are groupsms ÷ calamine from the same run.
struct XLSXBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xlsx",
        abstract: "Times the XLSX reader on 50,000 rows and on 1,000,000 rows in 20 files, side by side with python-calamine.")

    @Option(help: "Timed reads of the 50,000-row file (each side); the median is reported.")
    var runs = 15

    @Option(help: "Timed reads of the 20-file set (each side); the median is reported.")
    var bulkRuns = 3

    @Option(help: "Folder for the generated files (default: a new temporary folder, removed afterwards).")
    var directory: String?

    @Option(help: .hidden)
    var read: [String] = []

    @Option(help: .hidden)
    var parallel = 1

    @Flag(help: .hidden)
    var pipelined = false

    @Option(help: .hidden)
    var generateInto: String?

    func run() async throws {
        if let generateInto { return try Self.generateFiles(into: generateInto) }
        if !read.isEmpty { return try await readInChild() }
        let folder = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("groupsms-bench-xlsx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let generator = try Measurement.runChild(Self.executablePath, ["xlsx", "--generate-into", folder])
        guard generator.status == 0 else { throw BenchmarkError("generating the workbooks failed (\(generator.status))") }
        let files = Self.files(in: folder)
        let (single, sharedLayout, bulk) = (files.single, files.shared, files.bulk)
        let size = (try FileManager.default.attributesOfItem(atPath: single)[.size] as? Int) ?? 0
        print("XLSX reader, release build; file of 50,000 rows + header is \(size) bytes")

        let timed = try child([single], runs: runs, expectedCells: 50_001)
        Measurement.report("read 50,000 rows (median of in-process reads)", medianMs: timed.median,
                           peakMiB: timed.peakMiB, runs: runs, target: "< 60 ms, < 40 MB")
        let pipelined = try child([single], runs: runs, expectedCells: 50_001, pipelined: true)
        Measurement.report("same, pipelined reader (the import's)", medianMs: pipelined.median,
                           peakMiB: pipelined.peakMiB, runs: runs, target: "for comparison")
        let shared = try child([sharedLayout], runs: runs, expectedCells: 50_001)
        Measurement.report("same rows, shared-strings layout (as Excel saves)", medianMs: shared.median,
                           peakMiB: shared.peakMiB, runs: runs, target: "for comparison")
        let all = try child(bulk, runs: bulkRuns, expectedCells: 20 * 50_001)
        Measurement.report("read 1,000,000 rows in 20 files (median)", medianMs: all.median,
                           peakMiB: all.peakMiB, runs: bulkRuns, target: "< 1200 ms")
        let paired = try child(bulk, runs: bulkRuns, expectedCells: 20 * 50_001, parallel: 2)
        Measurement.report("same 20 files, two read at a time", medianMs: paired.median,
                           peakMiB: paired.peakMiB, runs: bulkRuns, target: "for comparison")

        let (peer, unavailable) = CalaminePeer.locate()
        if let unavailable { print(unavailable + "; groupsms figures only") }
        try compare("whole process, read 50,000 rows (inline strings)", [single], runs: runs, peer: peer)
        try compare("whole process, read 50,000 rows (shared strings)", [sharedLayout], runs: runs, peer: peer)
        try compare("whole process, read 1,000,000 rows in 20 files", bulk, runs: bulkRuns, peer: peer)
    }

    /// One whole-process read of `files` by each side per round: this executable's pipelined
    /// reader (the one `check` uses) against the python-calamine peer.
    private func compare(_ name: String, _ files: [String], runs: Int, peer: CalaminePeer?) throws {
        let cells = files.count * 50_001
        try SideBySide(name: name, runs: runs, ratioTarget: nil, peakTargetMB: nil).measure(
            ours: {
                let read = try child(files, runs: 1, expectedCells: cells, pipelined: true)
                var run = read.process
                run.peakRSSMiB = read.peakMiB
                return run
            },
            peer: peer.map { peer in { try peer.run(files, expectedCells: cells) } })
    }

    /// Runs this executable in `--read` mode and parses its output: one line per pass with the
    /// pass's milliseconds and the number of cells read, then the child's peak RSS.
    private func child(_ files: [String], runs: Int, expectedCells: Int,
                       parallel: Int = 1, pipelined: Bool = false)
        throws -> (median: Double, peakMiB: Double, process: Measurement.ChildRun) {
        let arguments = ["xlsx", "--runs", String(runs), "--parallel", String(parallel)]
            + (pipelined ? ["--pipelined"] : []) + files.flatMap { ["--read", $0] }
        let process = try Measurement.runChild(Self.executablePath, arguments)
        guard process.status == 0 else { throw BenchmarkError("the reading child failed with status \(process.status)") }
        var samples: [Double] = []
        var peakMiB = 0.0
        for line in String(decoding: process.output, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == "peak", let kilobytes = Double(fields[1]) { peakMiB = kilobytes / 1024 }
            guard fields.count == 2, let ms = Double(fields[0]), let cells = Int(fields[1]) else { continue }
            guard cells == expectedCells else { throw BenchmarkError("read \(cells) cells, expected \(expectedCells)") }
            samples.append(ms)
        }
        guard samples.count == runs else { throw BenchmarkError("the reading child reported \(samples.count) of \(runs) passes") }
        guard peakMiB > 0 else { throw BenchmarkError("the reading child did not report its peak RSS") }
        return (Measurement.median(samples), peakMiB, process)
    }

    /// Child mode: reads every `--read` file per pass, `runs` passes, printing "<ms> <cells>".
    /// With `--parallel 2` files are read two at a time, each by its own `XLSXReader`; with
    /// `--pipelined` through the reader `check` uses (sheet scans and shared strings on a second
    /// core, the next file started while this one is consumed).
    private func readInChild() async throws {
        let files = read
        let lanes = max(1, min(parallel, files.count))
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let cells = try await withThrowingTaskGroup(of: Int.self) { group in
                for lane in 0..<lanes {
                    group.addTask {
                        var cells = 0
                        let mine = Array(stride(from: lane, to: files.count, by: lanes).map { files[$0] })
                        if pipelined {
                            // The import's reader: files in turn, the next one started early.
                            try await XLSXReader.readColumnABytes(paths: mine) { event in
                                if case .cell = event { cells += 1 }
                            }
                        } else {
                            for path in mine { try XLSXReader(path: path).readColumnA { _ in cells += 1 } }
                        }
                        return cells
                    }
                }
                return try await group.reduce(0, +)
            }
            print(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, cells)
        }
        print("peak", try Self.ownPeakKilobytes())
    }

    /// VmHWM from /proc/self/status: this process image's own peak resident set, in kB.
    private static func ownPeakKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ")[1]) else {
            throw BenchmarkError("no VmHWM in /proc/self/status")
        }
        return kilobytes
    }

    /// The generated files in `folder`: 50,000 rows with inline strings, the same with shared
    /// strings, and 20 files of 50,000 rows.
    private static func files(in folder: String) -> (single: String, shared: String, bulk: [String]) {
        (folder + "/recipients-50k.xlsx", folder + "/recipients-50k-shared-strings.xlsx",
         (0..<20).map { folder + "/recipients-\($0).xlsx" })
    }

    /// Child mode: writes the benchmark's files into `folder`.
    private static func generateFiles(into folder: String) throws {
        let files = files(in: folder)
        try generate(rows: 50_000, seed: 0, to: files.single)
        try generate(rows: 50_000, seed: 0, storage: .shared, to: files.shared)
        for (index, path) in files.bulk.enumerated() { try generate(rows: 50_000, seed: index + 1, to: path) }
    }

    /// Writes a column-A recipient file of `rows` messy numbers under a header: mostly text in the
    /// ways people type numbers, every fifth a numeric cell, as spreadsheets hold them. Text goes
    /// inline (the writer's default) or in a shared-strings table (Excel's layout).
    static func generate(rows: Int, seed: Int, storage: XLSXStringStorage = .inline, to path: String) throws {
        var values: [[XLSXValue]] = []
        values.reserveCapacity(rows)
        for row in 0..<rows {
            let subscriber = String(10_000_000 + (row * 7_919 + seed * 104_729) % 90_000_000)
            let prefix = ["131", "139", "186", "158", "177"][row % 5]
            let national = prefix + subscriber
            let value: XLSXValue
            switch row % 10 {
            case 0, 5: value = .number("86" + national)
            case 1: value = .text("+86 " + prefix + " " + subscriber.prefix(4) + " " + subscriber.suffix(4))
            case 2: value = .text("0086-" + national)
            case 3: value = .text(prefix + "-" + subscriber.prefix(4) + "-" + subscriber.suffix(4))
            case 4: value = .text("(+86) " + national)
            case 6: value = .text("+44 7700 9" + subscriber.suffix(5))
            default: value = .text(national)
            }
            values.append([value])
        }
        let sheet = XLSXSheet(name: "Recipients", header: ["Phone number"], rows: values)
        try XLSXWriter(sheets: [sheet], stringStorage: storage).write(to: path)
    }

    private static var executablePath: String {
        #if os(Linux)
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        #else
        return CommandLine.arguments[0]
        #endif
    }
}
