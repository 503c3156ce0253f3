/// One event of reading several workbooks in order (`XLSXReader.readColumnABytes(paths:)`).
public enum XLSXColumnAEvent {
    /// A non-empty column-A cell of the file at index `file` of the paths; its bytes are valid
    /// only during the call.
    case cell(file: Int, XLSXCellBytes)
    /// The file at this index has been read to its end (after its last cell).
    case endOfFile(Int)
}

/// Reading a job's files one after another on two cores, the next file's sheet scan and shared
/// strings starting while the caller still works on the current one.
extension XLSXReader {
    /// Calls `body` with every non-empty column-A cell of each file in `paths`, in order, and
    /// with `.endOfFile` after each file's last cell: the same cells, checks, limits and errors
    /// as `readColumnA(path:limits:_:)` on each file in turn. Each file's sheet is scanned and
    /// its shared strings loaded by child tasks; the next file's start once the current file's
    /// shared strings are loaded, so both cores stay busy across file boundaries.
    ///
    /// Errors keep reading order: a file that cannot be opened or is refused throws only after
    /// every event of the files before it. When `body` throws, every scan stops and the error
    /// is passed through. At most two files are open at a time.
    public static func readColumnABytes(paths: [String], limits: XLSXReadLimits = .standard,
                                        _ body: (XLSXColumnAEvent) throws -> Void) async throws {
        guard !paths.isEmpty else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var current = Result { try XLSXFileRead.start(paths[0], limits: limits, in: &group) }
            var next: Result<XLSXFileRead, any Error>?
            for index in paths.indices {
                let file = try current.get()
                do {
                    let sharedStrings = try await file.tables.value().sharedStrings
                    if index + 1 < paths.count {
                        next = Result { try XLSXFileRead.start(paths[index + 1], limits: limits, in: &group) }
                    }
                    while let batch = await file.channel.receive() {
                        try batch.deliverBytes(sharedStrings, path: file.path, part: file.sheetPart) {
                            try body(.cell(file: index, $0))
                        }
                    }
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
}

/// One file being read: its layout read here, its sheet scan and its tables (shared strings,
/// and the cell styles when all columns are read) in child tasks, each reopening the file,
/// which must still be the same file.
struct XLSXFileRead {
    let path: String
    let sheetPart: String
    /// Whether the workbook counts day serials from 1904.
    let date1904: Bool
    let channel: XLSXCellBatchChannel
    let tables: XLSXTablesLoad

    /// Opens `path`, reads its package layout and starts its two child tasks in `group`; with
    /// `allColumns` the scan passes on every column and the styles part is loaded too.
    static func start(_ path: String, limits: XLSXReadLimits, allColumns: Bool = false,
                      in group: inout ThrowingTaskGroup<Void, any Error>) throws -> XLSXFileRead {
        var identity: XLSXFileIdentity?
        let archive = try XLSXReader.openArchive(path: path, limits: limits, identity: &identity)
        let layout = try XLSXPackageLayout(archive: archive, limits: limits)
        let read = XLSXFileRead(path: path, sheetPart: layout.sheetPart, date1904: layout.date1904,
                                channel: XLSXCellBatchChannel(), tables: XLSXTablesLoad())
        let (sheetPart, sharedStringsPart, channel, load) = (layout.sheetPart, layout.sharedStringsPart, read.channel,
                                                             read.tables)
        let stylesPart = allColumns ? layout.stylesPart : nil
        group.addTask { [identity] in
            await XLSXReader.scanSheet(path: path, part: sheetPart, limits: limits, allColumns: allColumns,
                                       identity: identity, into: channel)
        }
        group.addTask { [identity] in
            await load.finish(Result {
                guard sharedStringsPart != nil || stylesPart != nil else { return XLSXWorkbookTables() }
                var identity = identity
                let archive = try XLSXReader.openArchive(path: path, limits: limits, identity: &identity)
                var tables = XLSXWorkbookTables()
                if let sharedStringsPart {
                    tables.sharedStrings = try XLSXSharedStrings(archive: archive, part: sharedStringsPart, limits: limits)
                }
                if let stylesPart { tables.styles = try XLSXCellStyles(archive: archive, part: stylesPart, limits: limits) }
                return tables
            })
        }
        return read
    }
}

/// The tables cells are resolved against: shared strings, and cell styles (empty unless asked for).
struct XLSXWorkbookTables: Sendable {
    var sharedStrings = XLSXSharedStrings()
    var styles = XLSXCellStyles()
}

/// A workbook's tables loaded by a child task, awaited by the task that resolves cells.
actor XLSXTablesLoad {
    private var result: Result<XLSXWorkbookTables, any Error>?
    private var waiting: CheckedContinuation<Result<XLSXWorkbookTables, any Error>, Never>?

    /// Stores the loaded tables (or why they could not be loaded) and wakes the waiting task.
    func finish(_ result: Result<XLSXWorkbookTables, any Error>) {
        self.result = result
        waiting?.resume(returning: result)
        waiting = nil
    }

    /// The tables, once loaded; throws what loading them threw.
    func value() async throws -> XLSXWorkbookTables {
        if let result { return try result.get() }
        return try await withCheckedContinuation { waiting = $0 }.get()
    }
}
