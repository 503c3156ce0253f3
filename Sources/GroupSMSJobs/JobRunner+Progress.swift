import Foundation
import GroupSMSModel
import GroupSMSStore

extension JobRunner {
    /// Counts what a claim did and reports progress.
    func note(_ claim: ChunkClaim) {
        progress.deferred += claim.deferred
        progress.failed += claim.limited + claim.suppressed + claim.expired
        progress.postponed = max(0, progress.postponed + claim.postponed - claim.released)
        let nextChanged = progress.nextDue != claim.nextDeferredDue
        progress.nextDue = claim.nextDeferredDue
        if claim.deferred + claim.limited + claim.suppressed + claim.expired + claim.postponed + claim.released > 0
            || nextChanged {
            report()
        }
    }

    /// Calls the progress handler with a fresh rate and ETA.
    func report() {
        let now = clock.now()
        recentStarts.removeAll { now.timeIntervalSince($0.0) > 10 }
        progress.rate = JobProgress.windowedRate(starts: recentStarts, now: now)
        // Numbers waiting for their window go when it opens, not at this rate.
        let left = max(0, progress.total - progress.sent - progress.postponed)
        progress.eta = progress.rate > 0 ? Double(left) / progress.rate : nil
        onProgress?(progress)
    }
}
