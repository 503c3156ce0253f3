import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers
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
    let store: any JobStoring
    let client: PlatformClient
    let pacer: SendPacer
    let slots: SendSlots
    let clock: any WallClock
    let lease: RunnerLease
    let options: JobRunnerOptions
    let stopSignal: RunnerStopSignal
    let onProgress: (@Sendable (JobProgress) -> Void)?
    /// Places numbers in their time zones for send windows; nil: libphonenumber's (the product's).
    let zones: (any NumberZoneLookup)?

    var progress: JobProgress
    var halt: Halt?
    /// No chunk is claimed before this (flow control, not-sent back-off).
    var holdUntil: Date?
    var nextRetryDelay: TimeInterval
    /// Requests in a row that ended ambiguous (see `AnswerPolicy.ambiguousLimit`).
    var ambiguousStreak = 0
    /// Recent request starts (time, numbers) for the progress rate.
    var recentStarts: [(Date, Int)] = []
    /// Chunks claimed and not yet settled.
    var inFlight = 0
    /// Whether a request of this run got an answer (ends the slow start).
    var answeredOnce = false
    /// Results of finished requests, waiting to be settled by the run loop.
    var completed: [SettledChunk] = []

    /// A runner for `jobID`; `onProgress` is called (on the runner) after each claim and settlement.
    /// `pacer` and `slots` are the process's shared ones (nil slots: a gate of `maxInFlight` for this job).
    public init(jobID: JobID, store: any JobStoring, client: PlatformClient, pacer: SendPacer, slots: SendSlots? = nil,
                clock: any WallClock,
                lease: RunnerLease, options: JobRunnerOptions = JobRunnerOptions(),
                stopSignal: RunnerStopSignal = RunnerStopSignal(), zones: (any NumberZoneLookup)? = nil,
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
        self.zones = zones
        progress = JobProgress(jobID: jobID, total: 0)
        nextRetryDelay = options.retryDelay
    }

    /// What every claim of one run shares.
    struct RunSetup: Sendable {
        var content: ChunkContent
        /// The account's budget and the job's own rate, reserved in the store with each claim.
        var pace: PaceBudget
        var chunkSize: Int
        /// Places numbers in their time zones, for the job's send window.
        var zones: any NumberZoneLookup
    }

    /// What the claim loop does after one step.
    enum Step {
        case again
        case drained
        case halted
    }

    /// Runs the job until it finishes, pauses, fails or is stopped; returns how it ended.
    /// Cancelling the task is a stop: nothing more is claimed, and what is in flight is settled.
    public func run() async throws -> JobRunOutcome {
        let setup = try await prepare()
        logRunStarted(queued: progress.total)
        await client.warmUp()
        let heartbeat = Task { await self.beat() }
        defer { heartbeat.cancel() }
        var drained = false
        try await withThrowingTaskGroup(of: Void.self) { group in
            drained = try await claimLoop(setup, &group)
            // Stop claiming, but every request already started gets its answer recorded.
            while inFlight > 0 { try await awaitCompletion(&group) }
        }
        let outcome = try await conclude(drained: drained)
        logRunEnded(outcome)
        return outcome
    }

    private func prepare() async throws -> RunSetup {
        let job = try await store.job(jobID)
        let summary = try await store.summary(of: jobID)
        progress.total = summary.count(.pending) + summary.count(.deferred)
        progress.postponed = summary.deferredByReason[DeferralReason.sendWindow] ?? 0
        progress.nextDue = summary.nextDeferredAt
        let callback = job.statusCallback == JobSettings.noStatusCallback ? nil : job.statusCallback ?? options.statusCallback
        let content = ChunkContent(settings: job.settings, statusCallback: callback)
        let pace = PaceBudget(account: client.configuration.paceAccount, accountRate: pacer.rate, jobRate: job.rate,
                              window: pacer.window, lead: pacer.lead)
        let chunkSize = max(1, min(JobSettings.maximumRate, options.chunkSize, job.rate, pacer.rate))
        return RunSetup(content: content, pace: pace, chunkSize: chunkSize,
                        zones: try zones ?? PhoneNumberZoneLookup.shared())
    }

    /// Claims and launches chunks until the job is drained or a halt is set; true when drained.
    private func claimLoop(_ setup: RunSetup, _ group: inout ThrowingTaskGroup<Void, any Error>) async throws -> Bool {
        while true {
            try await settleCompleted()
            if halt == nil, stopSignal.isRaised || Task.isCancelled { halt = .stopSignal }
            if halt != nil { return false }
            switch try await step(setup, &group) {
            case .again: continue
            case .drained: return true
            case .halted: return false
            }
        }
    }

    /// One turn of the loop: wait for an answer, wait out a hold, or claim and launch a chunk.
    private func step(_ setup: RunSetup, _ group: inout ThrowingTaskGroup<Void, any Error>) async throws -> Step {
        // Slow start: the first request goes alone, so later ones find its connection open
        // and a handshake never delays one request towards the next (window rule).
        if inFlight >= options.maxInFlight || (inFlight > 0 && !answeredOnce) {
            try await awaitCompletion(&group)
            return .again
        }
        if let hold = holdUntil, hold > clock.now() {
            if inFlight > 0 { try await awaitCompletion(&group) } else { await nap(until: hold) }
            return .again
        }
        guard let claim = try await claimWithSlot(setup) else { return .halted }
        note(claim)
        if let chunk = claim.chunk {
            launch(chunk, setup, &group)
            return .again
        }
        await slots.release()
        // A claim that stopped at its share of work (a window holding thousands) goes on at once.
        if claim.hasMoreDue { return .again }
        if inFlight > 0 {
            try await awaitCompletion(&group)
            return .again
        }
        if claim.isDrained { return .drained }
        await nap(until: claim.nextDeferredDue ?? clock.now().addingTimeInterval(options.pollInterval))
        return .again
    }

    /// A slot first, so a claimed chunk never waits for a connection; then, in the process's
    /// turn order, the claim, which reserves the request's start in the store's pace budget. Nil
    /// when the job is no longer this runner's to send (paused elsewhere, lease lost, stopped).
    private func claimWithSlot(_ setup: RunSetup) async throws -> ChunkClaim? {
        await slots.acquire()
        let store = self.store, jobID = self.jobID, lease = self.lease
        do {
            return try await pacer.acquire { () async throws -> PaceAttempt<ChunkClaim> in
                let claim = try await store.claimChunk(for: jobID, runner: lease, maxNumbers: setup.chunkSize,
                                                       pace: setup.pace, zones: setup.zones)
                return claim.paceWaitUntil.map { .retry(at: $0) } ?? .started(claim)
            }
        } catch StoreError.transitionRefused(_, _, _, let reason) {
            stop(.pausedElsewhere(reason))
        } catch StoreError.leaseLost {
            stop(.leaseLost)
        } catch is CancellationError {
            stop(.stopSignal)
        } catch {
            await slots.release()
            throw error
        }
        await slots.release()
        return nil
    }

    /// Starts a claimed chunk's request at once: its start is already reserved, so nothing but
    /// building the body happens between the commit and the request leaving.
    private func launch(_ chunk: ChunkPlan, _ setup: RunSetup, _ group: inout ThrowingTaskGroup<Void, any Error>) {
        inFlight += 1
        progress.inFlight += chunk.numbers.count
        let request = setup.content.request(for: chunk)
        let start = chunk.startsAt ?? clock.now()
        let client = self.client, slots = self.slots, store = self.store, clock = self.clock
        let jobID = self.jobID, lease = self.lease
        group.addTask {
            // The start was reserved a little ahead of the claim; the request leaves then.
            if let reserved = chunk.startsAt, reserved > clock.now() { try? await clock.sleep(until: reserved) }
            guard await store.leaseAllowsSending(jobID, runner: lease) else {
                await slots.release()
                await self.complete(SettledChunk(chunk: chunk, result: .leaseLapsed))
                return
            }
            let handedOver = clock.now()
            async let sent = Self.send(chunk, request: request, start: start, client: client)
            // Best effort: the reservation stays where it was if this write fails.
            if chunk.startsAt != nil { try? await store.notePaceStart(of: chunk.id, at: handedOver) }
            var result = await sent
            if case .sent = result.result { result.elapsed = clock.now().timeIntervalSince(handedOver) }
            await slots.release()
            await self.complete(result)
        }
    }

    /// Takes a finished request's result (called by the request's task).
    private func complete(_ result: SettledChunk) {
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

    /// Sleeps until `deadline`, at most `pollInterval` at a time so stops and pauses are seen;
    /// a cancelled sleep is a stop.
    private func nap(until deadline: Date) async {
        let limit = clock.now().addingTimeInterval(options.pollInterval)
        do {
            try await clock.sleep(until: min(deadline, limit))
        } catch {
            stop(.stopSignal)
        }
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
}
