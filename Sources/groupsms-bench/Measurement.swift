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

    /// This process's anonymous resident memory in MiB (RssAnon): on Linux the floor under any
    /// child's peak RSS as `runChild` measures it (see `spawn`).
    static func childPeakFloorMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
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

    /// Where a child's standard output goes.
    enum ChildOutput {
        /// Into `ChildRun.output` (for small outputs: it is read into this process).
        case capture
        /// To /dev/null.
        case discard
        /// To this file, left for the caller (so a large output never enters this process).
        case file(String)
    }

    /// Runs `executable` with `arguments` as a child process and measures it with `wait4`,
    /// so the figures are the whole process's: start-up, work and exit. Standard error is
    /// discarded. The child is started directly (see `spawn`) rather than with `Process`, so
    /// that no other reaper can collect it before we read its resource usage. Its peak RSS is
    /// at least this process's anonymous memory (`childPeakFloorMiB`): keep the measuring
    /// process small (generate inputs in another child, never capture a large output).
    static func runChild(_ executable: String, _ arguments: [String], output: ChildOutput = .capture) throws -> ChildRun {
        let capturePath = FileManager.default.temporaryDirectory
            .appendingPathComponent("groupsms-bench-\(UUID().uuidString).out").path
        let outputPath: String
        switch output {
        case .capture: outputPath = capturePath
        case .discard: outputPath = "/dev/null"
        case .file(let path): outputPath = path
        }
        defer { if case .capture = output { try? FileManager.default.removeItem(atPath: capturePath) } }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let start = DispatchTime.now().uptimeNanoseconds
        let pid = try spawn(argv, output: outputPath)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        var captured = Data()
        if case .capture = output { captured = (try? Data(contentsOf: URL(fileURLWithPath: capturePath))) ?? Data() }
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ChildRun(
            milliseconds: elapsed,
            peakRSSMiB: Double(usage.ru_maxrss) / 1024,
            userCPUSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            systemCPUSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            status: exitCode, output: captured)
    }

    /// Starts `argv[0]` with standard output to `output` and standard error to /dev/null.
    ///
    /// On Linux with fork + exec rather than `posix_spawn`: the kernel starts a child's peak RSS
    /// at the high-water mark of the memory it leaves at exec, which for `posix_spawn` (vfork)
    /// is this whole process's peak, but for fork is only the anonymous memory copied into the
    /// child (mapped libraries and the executable are not copied), so small children such as
    /// the Python peer are measured as they are. Between fork and exec only async-signal-safe
    /// calls run, on C strings prepared before the fork.
    private static func spawn(_ argv: [UnsafeMutablePointer<CChar>?], output: String) throws -> pid_t {
        #if os(Linux)
        let outputPath = strdup(output)!, devNull = strdup("/dev/null")!
        defer { free(outputPath); free(devNull) }
        let pid = fork()
        if pid == 0 {
            let out = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            let err = open(devNull, O_WRONLY)
            if out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 { _exit(126) }
            execve(argv[0]!, argv, environ)
            _exit(127)
        }
        guard pid > 0 else { throw BenchmarkError("cannot start \(String(cString: argv[0]!)): \(String(cString: strerror(errno)))") }
        return pid
        #else
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw BenchmarkError("cannot start \(String(cString: argv[0]!)): \(String(cString: strerror(spawned)))")
        }
        return pid
        #endif
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
