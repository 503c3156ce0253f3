import Foundation

/// python-calamine as the peer that the XLSX and `check` benchmarks compare against: the repo's
/// `.tools/calamine_peer.py`, run as a whole Python process that opens each workbook, reads
/// column A of its first sheet and prints the count (so its figure includes Python's start-up).
///
/// Optional: when `python3 -c "import python_calamine"` fails, the benchmarks say so and print
/// groupsms's figures alone. Neither the product nor its tests need Python.
struct CalaminePeer {
    /// The Python interpreter found on PATH.
    let python: String
    /// The peer script.
    let script: String

    /// Finds python3 with python_calamine importable and the peer script; nil (with the reason
    /// in `unavailable`) otherwise.
    static func locate() -> (peer: CalaminePeer?, unavailable: String?) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // Sources/groupsms-bench
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".tools/calamine_peer.py").path
        guard FileManager.default.fileExists(atPath: script) else {
            return (nil, "python-calamine peer not run: \(script) is missing")
        }
        guard let python = executableOnPath("python3") else {
            return (nil, "python-calamine peer not run: no python3 on PATH")
        }
        let probe = try? Measurement.runChild(python, ["-c", "import python_calamine"])
        guard probe?.status == 0 else {
            return (nil, "python-calamine peer not run: `python3 -c \"import python_calamine\"` fails (pip install python-calamine)")
        }
        return (CalaminePeer(python: python, script: script), nil)
    }

    /// Reads column A of every file in `files` in one Python process; throws unless it counted
    /// `expectedCells` non-empty cells in all.
    func run(_ files: [String], expectedCells: Int) throws -> Measurement.ChildRun {
        let run = try Measurement.runChild(python, [script] + files)
        guard run.status == 0 else { throw BenchmarkError("the python-calamine peer exited \(run.status)") }
        let lines = String(decoding: run.output, as: UTF8.self).split(separator: "\n")
        guard let last = lines.last, last.hasPrefix("total "), Int(last.dropFirst(6)) == expectedCells else {
            throw BenchmarkError("the python-calamine peer counted \(lines.last ?? "nothing"), expected total \(expectedCells)")
        }
        return run
    }

    private static func executableOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
