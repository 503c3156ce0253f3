/// Reading recipient workbooks whose columns B, C, ... hold each row's template values
/// (`--variables columns`, SPEC §7), on two cores like `readColumnABytes(paths:)`.
extension XLSXReader {
    /// The most value columns a row may hold: a template has at most 20 variables (FAQ 5.1).
    public static let maximumVariableColumns = 20

    /// Calls `body` with each file's header (row 1), then each later row that has a non-empty
    /// cell, then `.endOfFile`; files in order. Same opening checks, limits and concurrency as
    /// `readColumnABytes(paths:limits:_:)`: the sheet is scanned and the shared strings and cell
    /// styles loaded by child tasks while this task runs `body`, and errors keep reading order.
    ///
    /// Refusals (`XLSXError`, naming the cell): no header in row 1 or an empty A1, a gap in the
    /// header, more than `maxVariables` value columns, a value right of the header's last
    /// column, cells out of order. A file with no cells at all gets no `.header` event.
    ///
    /// With `annotating`, the task that assembles the rows makes an annotator for each file and
    /// passes it each row; `annotations` gets what it made of each run of rows (`seal`) just
    /// before `body` gets those rows.
    public static func readRowsBytes(paths: [String], limits: XLSXReadLimits = .standard,
                                     maxVariables: Int = maximumVariableColumns,
                                     annotating makeAnnotator: (@Sendable () -> any XLSXRowAnnotator)? = nil,
                                     annotations: ((any Sendable) throws -> Void)? = nil,
                                     _ body: (XLSXRowEvent) throws -> Void) async throws {
        guard !paths.isEmpty else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var current = Result { try XLSXFileRead.start(paths[0], limits: limits, allColumns: true, in: &group) }
            var next: Result<XLSXFileRead, any Error>?
            for index in paths.indices {
                let file = try current.get()
                do {
                    let tables = try await file.tables.value()
                    if index + 1 < paths.count {
                        next = Result { try XLSXFileRead.start(paths[index + 1], limits: limits, allColumns: true, in: &group) }
                    }
                    try await deliverRows(of: file, index: index, tables: tables, maxVariables: maxVariables,
                                          annotating: makeAnnotator, annotations: annotations, body)
                    try body(.endOfFile(index))
                } catch {
                    await file.channel.stopReceiving()
                    if case .success(let upcoming) = next { await upcoming.channel.stopReceiving() }
                    throw error
                }
                if let upcoming = next { current = upcoming }
                next = nil
            }
        }
    }

    /// Passes one file's header and rows to `body` as a task of their own assembles them from
    /// the sheet's cell batches (and runs the annotator on them): the consumer of the rows,
    /// checking and filing each one, is what a personalised import waits for.
    private static func deliverRows(of file: XLSXFileRead, index: Int, tables: XLSXWorkbookTables, maxVariables: Int,
                                    annotating makeAnnotator: (@Sendable () -> any XLSXRowAnnotator)?,
                                    annotations: ((any Sendable) throws -> Void)?,
                                    _ body: (XLSXRowEvent) throws -> Void) async throws {
        let rows = XLSXBatchChannel<XLSXRowBatch>(capacity: 8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await assembleRows(of: file, tables: tables, maxVariables: maxVariables, annotator: makeAnnotator?(), into: rows)
            }
            do {
                while let batch = await rows.receive() {
                    try batch.deliver({ try body(.header(file: index, $0)) }, annotations, { try body(.row(file: index, $0)) })
                }
            } catch {
                await rows.stopReceiving()
                throw error
            }
        }
    }

    /// The assembling task: resolves each cell batch of `file` and turns its cells into the
    /// header and rows, sent in row batches until the sheet ends, a refusal (sent in the last
    /// batch) or the receiver stops (then the scan is stopped too).
    private static func assembleRows(of file: XLSXFileRead, tables: XLSXWorkbookTables, maxVariables: Int,
                                     annotator: (any XLSXRowAnnotator)?, into rows: XLSXBatchChannel<XLSXRowBatch>) async {
        var assembler = XLSXRowAssembler(path: file.path, part: file.sheetPart, styles: tables.styles,
                                         date1904: file.date1904, maxVariables: maxVariables)
        var batch = XLSXRowBatch()
        func onHeader(_ header: XLSXHeader) { batch.header = header }
        func onRow(_ row: XLSXRowBytes) {
            batch.append(row)
            annotator?.add(row)
        }
        func sealed(_ batch: XLSXRowBatch) -> XLSXRowBatch {
            var batch = batch
            if let annotator, batch.count > 0 { batch.annotation = annotator.seal() }
            return batch
        }
        do {
            while let cells = await file.channel.receive() {
                try cells.deliverAllColumns(tables.sharedStrings, path: file.path, part: file.sheetPart) { cell in
                    try assembler.add(cell, onHeader: onHeader, onRow: onRow)
                }
                if batch.isFull {
                    guard await rows.send(sealed(batch)) else { return await file.channel.stopReceiving() }
                    batch = XLSXRowBatch()
                }
            }
            try assembler.finish(onHeader: onHeader, onRow: onRow)
        } catch {
            batch.failure = error as? XLSXError
                ?? XLSXError(path: file.path, part: file.sheetPart, reason: .malformedXML(line: 0, detail: "\(error)"))
            await file.channel.stopReceiving()
        }
        if !batch.isEmpty { _ = await rows.send(sealed(batch)) }
        await rows.finish()
    }
}
