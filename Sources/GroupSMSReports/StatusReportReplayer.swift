import Foundation
import GroupSMSModel
import GroupSMSStore

/// Applies journaled reports to the store, in order, exactly once: first the journals left by
/// receivers that stopped (oldest first), then this receiver's own, whenever it is woken, and
/// again after a failure (waiting `replayRetry`, doubling up to `replayRetryLimit`).
///
/// Each batch of lines is applied in one store transaction that also records how many lines of
/// the journal are applied; after a failure the journal is read again from its start and the
/// store skips the lines it already has, so a replay that stopped half-way applies nothing twice.
actor StatusReportReplayer {
    private let store: any JobStoring
    private let journal: StatusReportJournal
    private let counters: StatusReportReceiverCounterBox
    private let options: StatusReportReceiverOptions
    private let log: @Sendable (String) -> Void
    private let signal: AsyncStream<Void>.Continuation
    private let signals: AsyncStream<Void>
    private var readers: [String: JournalReader] = [:]
    private var unowned: [(name: String, path: String, lock: FileLock)] = []
    private var staleNamesForgotten = false
    private var loop: Task<Void, Never>?
    private var failures = 0

    /// Lines applied per store transaction.
    static let batchLines = 100

    init(store: any JobStoring, journal: StatusReportJournal, counters: StatusReportReceiverCounterBox,
         options: StatusReportReceiverOptions, log: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.journal = journal
        self.counters = counters
        self.options = options
        self.log = log
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adopts the journals no live receiver holds and starts applying them.
    func start() {
        unowned = StatusReportJournal.unownedJournals(in: journal.directory)
        loop = Task { await self.run() }
        signal.yield()
    }

    /// Asks for a pass over the journals (after an append).
    func wake() {
        signal.yield()
    }

    /// Gives the journals up to `grace` to be applied, then stops; what is left stays on disk for
    /// the next receiver on this data dir.
    func stop(within grace: Duration) async {
        signal.yield()
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, await hasWork() {
            try? await Task.sleep(for: .milliseconds(20))
        }
        loop?.cancel()
        signal.finish()
        unowned = []
        readers = [:]
        if await hasWork() { log("some status reports are still journaled in \(journal.directory); the next receiver "
                                 + "started on this data dir applies them") }
    }

    private func hasWork() async -> Bool {
        guard unowned.isEmpty else { return true }
        return await journal.current != nil
    }

    private func run() async {
        var delay = options.replayRetry
        for await _ in signals where !Task.isCancelled {
            do {
                try await drain()
                delay = options.replayRetry
            } catch {
                failures += 1
                if StatusReportResponder.worthLogging(failures) {
                    log("could not apply journaled status reports yet (\(error)); trying again in \(delay)")
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, options.replayRetryLimit)
                signal.yield()
            }
        }
    }

    private func drain() async throws {
        try await forgetStaleJournals()
        while let oldest = unowned.first {
            _ = try await replay(name: oldest.name, path: oldest.path, limit: nil)
            try? FileManager.default.removeItem(atPath: oldest.path)
            AppendOnlyFile.synchronizeDirectory(journal.directory)
            try await store.forgetJournal(oldest.name)
            readers[oldest.name] = nil
            unowned.removeFirst()
        }
        while let current = await journal.current {
            let applied = try await replay(name: current.name, path: current.path, limit: current.bytes)
            if let removed = await journal.removeIfApplied(applied) {
                readers[removed] = nil
                try await store.forgetJournal(removed)
                return
            }
        }
    }

    /// Applies the lines of one journal up to byte `limit`; returns how many of its lines are applied.
    private func replay(name: String, path: String, limit: Int?) async throws -> Int {
        var applied = try await store.appliedJournalLines(name)
        let reader = try readers[name] ?? JournalReader(path: path)
        readers[name] = reader
        do {
            while true {
                let lines = try reader.next(Self.batchLines, limit: limit)
                guard !lines.isEmpty else { break }
                let first = reader.linesRead - lines.count
                guard first + lines.count > applied else { continue }
                let entries = lines.enumerated().map { decode($1, line: first + $0, path: path) }
                let summary = try await store.applyJournaledStatusReports(entries, journal: name, firstLine: first,
                                                                          heldLimit: options.heldReports)
                applied = first + lines.count
                counters.update { $0.addReplayed(summary) }
            }
        } catch {
            // Read again from the start next time: the store skips what it already applied.
            readers[name] = nil
            throw error
        }
        return max(applied, reader.linesRead)
    }

    private func decode(_ line: [UInt8], line number: Int, path: String) -> JournaledStatusReports {
        do {
            return try JSONDecoder().decode(JournalEntry.self, from: Data(line)).journaled
        } catch {
            log(StatusReportReceiverError.badJournalLine(path: path, line: number, reason: "\(error)").description)
            return JournaledStatusReports(reports: [], malformedEntries: 0)
        }
    }

    /// Applied-line counts the store keeps for journals whose file is gone (removed after the
    /// last line was applied, just before a crash) are forgotten, once.
    private func forgetStaleJournals() async throws {
        guard !staleNamesForgotten else { return }
        let own = await journal.current?.name
        for name in try await store.journalsApplied().keys where name != own && StatusReportJournal.isLocal(name) {
            let path = (journal.directory as NSString).appendingPathComponent(name)
            if !FileManager.default.fileExists(atPath: path) { try await store.forgetJournal(name) }
        }
        staleNamesForgotten = true
    }
}
