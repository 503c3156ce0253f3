import Foundation

/// One side-by-side comparison: groupsms and its peer run alternately on the same files, so
/// that load from other work on the machine falls on both; medians, peak RSS and the ratio
/// (groupsms ÷ peer) come from the same run.
struct SideBySide {
    /// What is compared, for the heading.
    let name: String
    /// Timed runs of each side.
    let runs: Int
    /// The ratio target, e.g. 0.70; nil when the line is for comparison only.
    let ratioTarget: Double?
    /// The peak RSS target in MB; nil when there is none.
    let peakTargetMB: Double?

    /// The figures of one side.
    struct Side {
        var milliseconds: [Double] = []
        var cpuMilliseconds: [Double] = []
        var peakMiB: [Double] = []

        mutating func add(_ run: Measurement.ChildRun) {
            milliseconds.append(run.milliseconds)
            cpuMilliseconds.append((run.userCPUSeconds + run.systemCPUSeconds) * 1000)
            peakMiB.append(run.peakRSSMiB)
        }
    }

    /// Runs `ours` and `peer` alternately `runs` times each (the peer first on odd rounds, so
    /// neither side always follows the other) and prints the figures. Without a peer, prints
    /// groupsms's figures alone.
    @discardableResult
    func measure(ours: () throws -> Measurement.ChildRun,
                 peer: (() throws -> Measurement.ChildRun)?) throws -> (ours: Side, peer: Side?) {
        var mine = Side()
        var theirs = Side()
        for round in 0..<runs {
            if let peer, round % 2 == 1 { theirs.add(try peer()) }
            mine.add(try ours())
            if let peer, round % 2 == 0 { theirs.add(try peer()) }
        }
        print(report(mine, peer == nil ? nil : theirs))
        return (mine, peer == nil ? nil : theirs)
    }

    private func report(_ mine: Side, _ theirs: Side?) -> String {
        var lines = ["\(name) (\(runs) runs each\(theirs == nil ? "" : ", alternating"))"]
        lines.append(line("groupsms", mine))
        if let theirs {
            lines.append(line("python-calamine", theirs))
            let ratio = Measurement.median(mine.milliseconds) / Measurement.median(theirs.milliseconds)
            let memory = Measurement.median(mine.peakMiB) / Measurement.median(theirs.peakMiB)
            var verdict = String(format: "  ratio groupsms/calamine: time %.2f, peak RSS %.2f", ratio, memory)
            if let ratioTarget { verdict += String(format: "   target ≤ %.2f", ratioTarget) }
            if let peakTargetMB { verdict += String(format: ", ≤ %.0f MB", peakTargetMB) }
            lines.append(verdict)
        } else if let peakTargetMB {
            lines.append(String(format: "  target ≤ %.0f MB peak RSS (no peer: no ratio)", peakTargetMB))
        }
        return lines.joined(separator: "\n")
    }

    private func line(_ side: String, _ figures: Side) -> String {
        String(format: "  %-16@ median %8.1f ms  (min %8.1f, max %8.1f)   CPU %8.1f ms   peak RSS %6.1f MiB (max %6.1f)",
               side as NSString, Measurement.median(figures.milliseconds), figures.milliseconds.min() ?? 0,
               figures.milliseconds.max() ?? 0, Measurement.median(figures.cpuMilliseconds),
               Measurement.median(figures.peakMiB), figures.peakMiB.max() ?? 0)
    }
}
