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
    public static func readRowsBytes(paths: [String], limits: XLSXReadLimits = .standard,
                                     maxVariables: Int = maximumVariableColumns,
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
                    try await deliverRows(of: file, index: index, tables: tables, maxVariables: maxVariables, body)
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

    /// Receives one file's batches and turns their cells into its header and rows.
    private static func deliverRows(of file: XLSXFileRead, index: Int, tables: XLSXWorkbookTables, maxVariables: Int,
                                    _ body: (XLSXRowEvent) throws -> Void) async throws {
        var assembler = XLSXRowAssembler(path: file.path, part: file.sheetPart, styles: tables.styles,
                                         date1904: file.date1904, maxVariables: maxVariables)
        func onHeader(_ header: XLSXHeader) throws { try body(.header(file: index, header)) }
        func onRow(_ row: XLSXRowBytes) throws { try body(.row(file: index, row)) }
        while let batch = await file.channel.receive() {
            try batch.deliverAllColumns(tables.sharedStrings, path: file.path, part: file.sheetPart) { cell in
                try assembler.add(cell, onHeader: onHeader, onRow: onRow)
            }
        }
        try assembler.finish(onHeader: onHeader, onRow: onRow)
    }
}
