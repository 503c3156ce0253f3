/// Reading on two cores: the sheet scan and the shared strings in child tasks, the caller's
/// work in this one.
extension XLSXReader {
    /// Calls `body` with each non-empty cell of column A in document order, like `readColumnA`,
    /// with the same checks, limits and errors; but the worksheet is scanned and the shared
    /// strings loaded by child tasks (each on its own handle to the file) while this task runs
    /// `body`. Use it when `body` does real work per cell, e.g. normalising numbers.
    ///
    /// At most `XLSXBatchChannel.capacity` (32) batches of scanned cells wait for `body`, so
    /// memory stays bounded however far the scan runs ahead. Errors come in document order: a
    /// refusal at a later cell is thrown only after every cell before it has been passed on;
    /// when `body` throws, the scan stops.
    public static func readColumnA(path: String, limits: XLSXReadLimits = .standard,
                                   _ body: (XLSXCell) throws -> Void) async throws {
        try await readColumnABytes(path: path, limits: limits) { try body($0.cell) }
    }

    /// `readColumnA(path:limits:_:)`, handing `body` each cell's text as bytes (valid only
    /// during the call), so that no `String` is made for a cell the caller does not keep.
    public static func readColumnABytes(path: String, limits: XLSXReadLimits = .standard,
                                        _ body: (XLSXCellBytes) throws -> Void) async throws {
        try await readColumnABytes(paths: [path], limits: limits) { event in
            if case .cell(_, let cell) = event { try body(cell) }
        }
    }

    /// The child task's side: opens the file again (it must be the same file), scans the sheet
    /// and sends batches until the sheet ends, a failure (sent in the last batch) or the
    /// receiver stops. A scan of all columns has the sheet inflated by a task of its own
    /// (`XLSXPartPrefetch`): its rows hold several cells each, and parsing them is the slowest
    /// step of such an import; a column-A scan finishes long before its numbers are normalised.
    static func scanSheet(path: String, part: String, limits: XLSXReadLimits, allColumns: Bool = false,
                          identity: XLSXFileIdentity?, into channel: XLSXCellBatchChannel) async {
        var batch = XLSXCellBatch()
        let prefetch = allColumns ? XLSXPartPrefetch() : nil
        await withTaskGroup(of: Void.self) { group in
            if let prefetch {
                group.addTask { await inflate(path: path, part: part, limits: limits, identity: identity, into: prefetch) }
            }
            // Before the group waits for the inflater: it stops once nothing more is read.
            defer { prefetch?.stop() }
            do {
                let scanner = try await openScanner(path: path, part: part, limits: limits, allColumns: allColumns,
                                                    identity: identity, prefetch: prefetch)
                scanning: while true {
                    switch scanner.fill(&batch) {
                    case .waitingForBytes:
                        await prefetch?.waitUntilReadable()
                    case .batchFull:
                        guard await channel.send(batch) else { break scanning }
                        batch.removeAll()
                    case .ended:
                        _ = await channel.send(batch)
                        break scanning
                    }
                }
            } catch {
                batch.failure = error as? XLSXError
                    ?? XLSXError(path: path, part: part, reason: .cannotOpen("\(error)"))
                _ = await channel.send(batch)
            }
        }
        await channel.finish()
    }

    /// The scanner of the sheet: over the prefetched part once its first bytes (or its
    /// failure) are in, else over a stream of its own.
    private static func openScanner(path: String, part: String, limits: XLSXReadLimits, allColumns: Bool,
                                    identity: XLSXFileIdentity?, prefetch: XLSXPartPrefetch?) async throws -> XLSXSheetScanner {
        guard let prefetch else {
            var identity = identity
            let archive = try openArchive(path: path, limits: limits, identity: &identity)
            return try openSheet(archive, part: part, path: path, limits: limits, allColumns: allColumns)
        }
        await prefetch.waitUntilReadable()
        // libxml2 takes a sheet over from the subset parser on a stream of its own.
        let reopen = { () throws -> XMLByteSource in
            var identity = identity
            return try openArchive(path: path, limits: limits, identity: &identity).open(part, maxBytes: limits.maxPartBytes)
        }
        return try XLSXSheetScanner(source: prefetch, path: path, part: prefetch.storedName ?? part, limits: limits,
                                    allColumns: allColumns, reopen: reopen)
    }

    /// The inflating task: opens the file again (it must be the same file) and inflates the part
    /// into `prefetch` until it ends, fails or the scan stops reading.
    private static func inflate(path: String, part: String, limits: XLSXReadLimits, identity: XLSXFileIdentity?,
                                into prefetch: XLSXPartPrefetch) async {
        let stream: ZipEntryStream
        do {
            var identity = identity
            let archive = try openArchive(path: path, limits: limits, identity: &identity)
            stream = try archive.open(part, maxBytes: limits.maxPartBytes)
        } catch {
            prefetch.finish(failure: error as? XLSXError ?? XLSXError(path: path, part: part, reason: .cannotOpen("\(error)")))
            return
        }
        prefetch.setStoredName(stream.part)
        while var buffer = await prefetch.nextBuffer() {
            let count = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            guard count > 0 else {
                prefetch.finish(failure: count < 0 ? stream.failure : nil)
                return
            }
            prefetch.publish(buffer, count: count)
        }
    }
}
