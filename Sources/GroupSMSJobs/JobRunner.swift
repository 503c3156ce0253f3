import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore

/// Sends one running job under the store's at-most-once protocol (store-api notes, steps 2-6).
///
/// The job must already be running under `lease` (`createJob(_:runner:)`, `startJob` or
/// `resumeJob`). The runner claims chunks of at most 500 numbers (and at most the job's rate),
/// paces every request start on the process's ONE shared `SendPacer`, keeps up to
/// `maxInFlight` requests outstanding, and settles each answer in the store before that
/// chunk's numbers count as done. It stops claiming when the job is paused (by any process),
/// when the platform says stop, or when the stop signal is raised; requests in flight are
/// always settled (answered, or unconfirmed) before it lets the job go.
public actor JobRunner {
    /// Why the run loop stopped claiming.
    enum Halt: Equatable {
        case pausedElsewhere(String)
        case platformPause(code: String, message: String)
        case fatal(code: String, message: String)
        case stopSignal
        case leaseLost
    }

    let jobID: JobID
    let store: JobStore
    let client: PlatformClient
    let pacer: SendPacer
    let slots: SendSlots
    let clock: any WallClock
    let lease: RunnerLease
    let options: JobRunnerOptions
    let stopSignal: RunnerStopSignal
    let onProgress: (@Sendable (JobProgress) -> Void)?

    var progress: JobProgress
    var halt: Halt?
    /// No chunk is claimed before this (flow control, not-sent back-off).
    var holdUntil: Date?
    var nextRetryDelay: TimeInterval
    /// Recent request starts (time, numbers) for the progress rate.
    var recentStarts: [(Date, Int)] = []
    /// Chunks claimed and not yet settled.
    var inFlight = 0
    /// Whether a request of this run got an answer (ends the slow start).
    var answeredOnce = false
    /// Results of finished requests, waiting to be settled by the run loop.
    var completed: [ChunkSendResult] = []

    /// A runner for `jobID`; `onProgress` is called (on the runner) after each claim and settlement.
    /// `pacer` and `slots` are the process's shared ones (nil slots: a gate of `maxInFlight` for this job).
    public init(jobID: JobID, store: JobStore, client: PlatformClient, pacer: SendPacer, slots: SendSlots? = nil,
                clock: any WallClock,
                lease: RunnerLease, options: JobRunnerOptions = JobRunnerOptions(),
                stopSignal: RunnerStopSignal = RunnerStopSignal(),
                onProgress: (@Sendable (JobProgress) -> Void)? = nil) {
        self.jobID = jobID
        self.store = store
        self.client = client
        self.pacer = pacer
        self.slots = slots ?? SendSlots(capacity: options.maxInFlight)
        self.clock = clock
        self.lease = lease
        self.options = options
        self.stopSignal = stopSignal
        self.onProgress = onProgress
        progress = JobProgress(jobID: jobID, total: 0)
        nextRetryDelay = options.retryDelay
    }

    /// Runs the job until it finishes, pauses, fails or is stopped; returns how it ended.
    public func run() async throws -> JobRunOutcome {
        let job = try await store.job(jobID)
        let summary = try await store.summary(of: jobID)
        progress.total = summary.count(.pending) + summary.count(.deferred)
        let content = ChunkContent(job: job, statusCallback: job.statusCallback ?? options.statusCallback)
        let jobPacer = job.rate < pacer.rate ? SendPacer(rate: job.rate, window: pacer.window, clock: clock) : nil
        let chunkSize = max(1, min(500, options.chunkSize, job.rate, pacer.rate))
        let heartbeat = Task { await self.beat() }
        defer { heartbeat.cancel() }
        var drained = false
        try await withThrowingTaskGroup(of: Void.self) { group in
            while true {
                try await settleCompleted()
                if halt == nil, stopSignal.isRaised { halt = .stopSignal }
                if halt != nil { break }
                // Slow start: the first request goes alone, so later ones find its connection open
                // and a handshake never delays one request towards the next (window rule).
                if inFlight >= options.maxInFlight || (inFlight > 0 && !answeredOnce) {
                    try await awaitCompletion(&group)
                    continue
                }
                if let hold = holdUntil, hold > clock.now() {
                    if inFlight > 0 { try await awaitCompletion(&group) } else { try await nap(until: hold) }
                    continue
                }
                // A slot first, so a claimed chunk never waits for a connection; then claim,
                // then pace: at most one claimed chunk of this job waits for the pacer, so a
                // crash leaves little unconfirmed that never left.
                await slots.acquire()
                let claim: ChunkClaim
                do {
                    claim = try await store.claimChunk(for: jobID, runner: lease, maxNumbers: chunkSize)
                } catch StoreError.transitionRefused(_, _, _, let reason) {
                    await slots.release()
                    stop(.pausedElsewhere(reason))
                    break
                } catch StoreError.leaseLost {
                    await slots.release()
                    stop(.leaseLost)
                    break
                } catch {
                    await slots.release()
                    throw error
                }
                note(claim)
                if let chunk = claim.chunk {
                    inFlight += 1
                    progress.inFlight += chunk.numbers.count
                    let request = content.request(for: chunk)
                    let start: Date
                    do {
                        _ = try await jobPacer?.acquire(chunk.numbers.count)
                        start = try await pacer.acquire(chunk.numbers.count)
                    } catch {
                        await slots.release()
                        completed.append(.notStarted(chunk, reason: "stopped while waiting for the send pace (\(error))"))
                        continue
                    }
                    let client = self.client, slots = self.slots
                    group.addTask {
                        let result = await Self.send(chunk, request: request, start: start, client: client)
                        await slots.release()
                        await self.complete(result)
                    }
                    continue
                }
                await slots.release()
                if inFlight > 0 {
                    try await awaitCompletion(&group)
                    continue
                }
                if claim.isDrained { drained = true; break }
                try await nap(until: claim.nextDeferredDue ?? clock.now().addingTimeInterval(options.pollInterval))
            }
            // Stop claiming, but every request already started gets its answer recorded.
            while inFlight > 0 { try await awaitCompletion(&group) }
        }
        return try await conclude(drained: drained)
    }

    /// Takes a finished request's result (called by the request's task).
    private func complete(_ result: ChunkSendResult) {
        completed.append(result)
    }

    /// Settles every finished request, in the order they finished.
    private func settleCompleted() async throws {
        while !completed.isEmpty {
            let result = completed.removeFirst()
            inFlight -= 1
            try await settle(result)
        }
    }

    /// Waits until at least one more request has finished, then settles what has.
    private func awaitCompletion(_ group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        if completed.isEmpty { _ = try await group.next() }
        try await settleCompleted()
    }

    /// Ends the run in the store according to why the loop stopped.
    private func conclude(drained: Bool) async throws -> JobRunOutcome {
        switch halt {
        case nil where drained:
            _ = try await store.finishJob(jobID, runner: lease)
            return .finished
        case nil:
            return .finished
        case .pausedElsewhere(let reason)?:
            try? await store.releaseJob(jobID, runner: lease)
            let job = try await store.job(jobID)
            return .paused(reason: job.lastError ?? reason)
        case .platformPause(let code, let message)?:
            _ = try await store.pauseJob(jobID, reason: "\(code): \(message)")
            try await store.releaseJob(jobID, runner: lease)
            return .paused(reason: "\(code): \(message)")
        case .fatal(let code, let message)?:
            _ = try await store.failJob(jobID, runner: lease, code: code, message: message)
            return .failed(code: code, message: message)
        case .stopSignal?:
            if options.stopBehaviour == .pause {
                _ = try? await store.pauseJob(jobID, reason: "interrupted; continue with: groupsms resume \(jobID)")
            }
            try await store.releaseJob(jobID, runner: lease)
            return .stopped
        case .leaseLost?:
            return .leaseLost
        }
    }

    /// Sleeps until `deadline`, at most `pollInterval` at a time so stops and pauses are seen.
    private func nap(until deadline: Date) async throws {
        let limit = clock.now().addingTimeInterval(options.pollInterval)
        try await clock.sleep(until: min(deadline, limit))
    }

    /// Beats every `heartbeatInterval`; learns of a pause made by another process.
    private func beat() async {
        while !Task.isCancelled {
            do {
                try await clock.sleep(seconds: options.heartbeatInterval)
                let state = try await store.heartbeat(jobID, runner: lease)
                if state != .running, halt == nil { halt = .pausedElsewhere("the job is \(state.rawValue)") }
            } catch StoreError.leaseLost {
                if halt == nil { halt = .leaseLost }
                return
            } catch {
                if Task.isCancelled { return }
            }
        }
    }

    /// Counts what a claim did and reports progress.
    private func note(_ claim: ChunkClaim) {
        progress.deferred += claim.deferred
        progress.failed += claim.limited + claim.suppressed
        if claim.deferred + claim.limited + claim.suppressed > 0 { report() }
    }

    /// Calls the progress handler with a fresh rate and ETA.
    func report() {
        let now = clock.now()
        recentStarts.removeAll { now.timeIntervalSince($0.0) > 10 }
        if let first = recentStarts.first {
            let span = max(1, now.timeIntervalSince(first.0))
            progress.rate = Double(recentStarts.reduce(0) { $0 + $1.1 }) / span
        } else {
            progress.rate = 0
        }
        let left = max(0, progress.total - progress.sent)
        progress.eta = progress.rate > 0 ? Double(left) / progress.rate : nil
        onProgress?(progress)
    }
}
