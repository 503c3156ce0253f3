import Foundation

/// Reads column A of the first worksheet of an .xlsx recipient file, streaming.
///
/// ```swift
/// let reader = try XLSXReader(path: "recipients.xlsx")     // size, ZIP/OLE2 checks, layout
/// try reader.readColumnA { cell in print(cell.reference, cell.kind, cell.text) }
/// ```
/// Opening checks the file (at most 12 MB, a ZIP and not an OLE2 compound file), follows the
/// package relationships to the first worksheet and loads the shared strings. `readColumnA`
/// then streams the sheet: it never builds a tree, and memory stays bounded by `XLSXReadLimits`
/// whatever sizes or counts the file claims. Every failure is an `XLSXError` naming the file
/// (and the part and cell where there is one).
public final class XLSXReader {
    /// The path as given.
    public let path: String
    /// The tab name of the worksheet being read.
    public let sheetName: String
    /// The package part holding that worksheet, e.g. `xl/worksheets/sheet1.xml`.
    public let sheetPart: String
    private let limits: XLSXReadLimits
    private let archive: ZipArchive
    private let sharedStrings: XLSXSharedStrings

    /// Opens `path` and locates its first worksheet.
    public init(path: String, limits: XLSXReadLimits = .standard) throws {
        self.path = path
        self.limits = limits
        var identity: XLSXFileIdentity?
        archive = try Self.openArchive(path: path, limits: limits, identity: &identity)
        let layout = try XLSXPackageLayout(archive: archive, limits: limits)
        sheetName = layout.sheetName
        sheetPart = layout.sheetPart
        if let part = layout.sharedStringsPart {
            sharedStrings = try XLSXSharedStrings(archive: archive, part: part, limits: limits)
        } else {
            sharedStrings = XLSXSharedStrings()
        }
    }

    /// Calls `body` with each non-empty cell of column A in document order, then returns.
    ///
    /// Throws for the first non-empty cell in any other column (naming it, e.g. `B7`) and for any
    /// damaged or hostile content; cells before that point have already been passed to `body`.
    /// Errors thrown by `body` are passed through.
    public func readColumnA(_ body: (XLSXCell) throws -> Void) throws {
        let scanner = try Self.openSheet(archive, part: sheetPart, path: path, limits: limits)
        var batch = XLSXCellBatch()
        while true {
            // The stream inflates as it is read, so a fill never waits for bytes.
            let outcome = scanner.fill(&batch)
            try batch.deliver(sharedStrings, path: path, part: scanner.part, body)
            guard outcome == .batchFull else { return }
            batch.removeAll()
        }
    }

    /// Opens the worksheet part of `archive` for scanning.
    static func openSheet(_ archive: ZipArchive, part: String, path: String, limits: XLSXReadLimits,
                          allColumns: Bool = false) throws -> XLSXSheetScanner {
        let stream = try archive.open(part, maxBytes: limits.maxPartBytes)
        return try XLSXSheetScanner(source: stream, path: path, part: stream.part, limits: limits, allColumns: allColumns,
                                    reopen: { try archive.open(part, maxBytes: limits.maxPartBytes) })
    }

    /// Checks the file itself before libzip sees it: a regular file, not empty, within the size
    /// limit, and starting like a ZIP rather than an OLE2 compound file. With `identity` set, the
    /// file must still be that same file (a second open for a concurrent reader); otherwise
    /// `identity` is set to this file's.
    static func openArchive(path: String, limits: XLSXReadLimits, identity: inout XLSXFileIdentity?) throws -> ZipArchive {
        // O_NONBLOCK so that a FIFO given as the path cannot block the open; it is refused below.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw XLSXError(path: path, reason: .cannotOpen(String(cString: strerror(errno))))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw XLSXError(path: path, reason: .cannotOpen(reason))
        }
        func refuse(_ reason: XLSXError.Reason) -> XLSXError {
            close(descriptor)
            return XLSXError(path: path, reason: reason)
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw refuse(.cannotOpen("not a regular file")) }
        let found = XLSXFileIdentity(info)
        if let identity, identity != found { throw refuse(.cannotOpen("the file changed while it was being read")) }
        identity = found
        let size = Int64(info.st_size)
        guard size > 0 else { throw refuse(.emptyFile) }
        guard size <= limits.maxFileBytes else { throw refuse(.fileTooLarge(bytes: size, limit: limits.maxFileBytes)) }
        var magic = [UInt8](repeating: 0, count: 8)
        let count = pread(descriptor, &magic, 8, 0)
        guard count >= 0 else { throw refuse(.cannotOpen(String(cString: strerror(errno)))) }
        if count == 8, magic == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            throw refuse(.passwordProtectedOrLegacy)
        }
        guard count >= 4, magic[0] == 0x50, magic[1] == 0x4B,
              (magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6) else {
            throw refuse(.notZip)
        }
        return try ZipArchive(fileDescriptor: descriptor, path: path, maxEntries: limits.maxParts)
    }
}

/// Which file a path named when it was opened, so a second open can check it got the same one.
struct XLSXFileIdentity: Sendable, Equatable {
    private let device: UInt64, inode: UInt64, size: Int64, modified: Int, modifiedNanoseconds: Int

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
