import Foundation

/// Timing and memory figures shared by every benchmark.
enum Measurement {
    /// Runs `body` `runs` times and returns each run's wall time in milliseconds.
    static func time(runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return samples
    }

    /// The median of `samples` (the mean of the middle two for an even count).
    static func median(_ samples: [Double]) -> Double {
        precondition(!samples.isEmpty, "median of no samples")
        let sorted = samples.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The value below which `fraction` of `samples` fall (nearest rank).
    static func percentile(_ samples: [Double], _ fraction: Double) -> Double {
        precondition(!samples.isEmpty, "percentile of no samples")
        let sorted = samples.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// Peak resident set size of this process so far, in MiB.
    static func peakRSSOfSelf() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)  // Glibc imports RUSAGE_SELF as an enum case
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_maxrss) / 1024
    }

    /// Result of running a child process once.
    struct ChildRun {
        var milliseconds: Double
        var peakRSSMiB: Double
        var userCPUSeconds: Double
        var systemCPUSeconds: Double
        var status: Int32
        var output: Data
    }

    /// Runs `executable` with `arguments` as a child process and measures it with `wait4`,
    /// so the figures are the whole process's: start-up, work and exit. Standard output is
    /// captured; standard error is discarded. `posix_spawn` is used instead of `Process` so that
    /// no other reaper can collect the child before we read its resource usage. Linux carries a
    /// process's peak RSS across exec, so the child's figure is at least this process's peak at
    /// spawn time: keep the measuring process small (generate inputs in another child).
    static func runChild(_ executable: String, _ arguments: [String]) throws -> ChildRun {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("groupsms-bench-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw BenchmarkError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let output = (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data()
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ChildRun(
            milliseconds: elapsed,
            peakRSSMiB: Double(usage.ru_maxrss) / 1024,
            userCPUSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            systemCPUSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            status: exitCode, output: output)
    }

    /// Formats a row of a figures table.
    static func report(_ name: String, medianMs: Double, peakMiB: Double, runs: Int, target: String) {
        let line = String(format: "%-44@ median %8.1f ms   peak RSS %7.1f MiB   (%d runs)   target %@",
                          name as NSString, medianMs, peakMiB, runs, target as NSString)
        print(line)
    }
}

/// A benchmark that could not run or missed a correctness check (not a missed speed target).
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
