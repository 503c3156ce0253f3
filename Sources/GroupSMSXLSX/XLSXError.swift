/// A workbook that could not be read or written, with where it happened and what to do about it.
///
/// `description` is a complete sentence for the user, e.g.
/// `recipients.xlsx: cell B7 has content ("x"); put numbers in column A of the first sheet only`.
public struct XLSXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong; tests and callers match on this rather than on the message text.
    public enum Reason: Sendable, Equatable {
        /// The file could not be opened or read (missing, unreadable, a directory...).
        case cannotOpen(String)
        /// The file has no bytes.
        case emptyFile
        /// The file is larger than the limit (bytes, limit).
        case fileTooLarge(bytes: Int64, limit: Int64)
        /// An OLE2 compound file: an encrypted workbook or a legacy .xls.
        case passwordProtectedOrLegacy
        /// The file is not a ZIP archive at all.
        case notZip
        /// The ZIP archive is damaged or uses something libzip cannot read.
        case brokenArchive(String)
        /// The archive has more entries than the limit.
        case tooManyParts(Int)
        /// A part the workbook needs is not in the archive (its name).
        case missingPart(String)
        /// The workbook lists no worksheet.
        case noWorksheet
        /// A part that must hold XML is empty (0 bytes once inflated).
        case emptyPart(String)
        /// A part inflates beyond the per-part limit (bytes).
        case partTooLarge(Int64)
        /// The XML of a part is not well formed (line, parser message).
        case malformedXML(line: Int, detail: String)
        /// A part has a DOCTYPE, an entity or an external reference.
        case forbiddenDTD
        /// One start tag is longer than the limit (bytes); real workbooks never come close.
        case tagTooLong(Int)
        /// The shared-strings table has more entries than the limit.
        case tooManySharedStrings(Int)
        /// The shared-strings table holds more text than the limit (bytes).
        case sharedStringsTooLarge(Int)
        /// A shared-string cell has no index (`<v>` missing or not a number).
        case missingSharedStringIndex
        /// A shared-string cell points past the end of the table (index, table size).
        case sharedStringIndexOutOfRange(index: Int, count: Int)
        /// A cell or row reference that is not a valid A1 reference (the text as found).
        case invalidCellReference(String)
        /// A cell type (`t=`) this reader does not know.
        case unknownCellType(String)
        /// A formula cell with no saved result, so its value is unknown.
        case formulaWithoutValue
        /// A cell holds more text than the limit (bytes).
        case cellTooLong(Int)
        /// A non-empty cell outside column A (a short preview of its content).
        case contentOutsideColumnA(String)
        /// The styles part lists more cell or number formats than the limit.
        case tooManyCellStyles(Int)
        /// Reading variable columns: the first row with content is not row 1, or A1 is empty
        /// (the cell named is the first one found).
        case missingHeader
        /// Reading variable columns: a header cell is empty while a later one names a variable
        /// (the error's cell is the empty one; the associated value names the later one).
        case headerGap(nextCell: String)
        /// Reading variable columns: more value columns than a template has variables (the limit).
        case tooManyVariableColumns(Int)
        /// Reading variable columns: a value right of the header's last column (a preview, that column's header cell).
        case contentBeyondHeader(String, lastHeaderCell: String)
        /// Reading variable columns: a cell before one already read (rows or columns out of order, or repeated).
        case cellOutOfOrder
        /// A sheet name Excel would reject (the name, why).
        case invalidSheetName(name: String, why: String)
        /// A value the writer cannot store (why).
        case invalidValue(String)
        /// Writing the file failed (system or libzip message).
        case writeFailed(String)
    }

    /// The workbook's path as the caller gave it.
    public let path: String
    /// The part inside the package (e.g. `xl/worksheets/sheet1.xml`), when known.
    public let part: String?
    /// The cell (e.g. `B7`), when the problem is in one cell.
    public let cell: String?
    /// What went wrong.
    public let reason: Reason

    /// Creates an error for `path`, optionally naming the part and cell.
    public init(path: String, part: String? = nil, cell: String? = nil, reason: Reason) {
        self.path = path
        self.part = part
        self.cell = cell
        self.reason = reason
    }

    /// The message for the user: file, place, problem and what to do.
    public var description: String {
        var subject = path
        if let cell { subject += ": cell \(cell)" } else if let part { subject += ": part \(part)" }
        return subject + " " + predicate
    }

    /// `bytes` as "12 MB" when it is a whole number of MiB, else as a byte count.
    private static func size(_ bytes: Int64) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : "\(bytes) bytes"
    }

    private var predicate: String {
        switch reason {
        case .cannotOpen(let why):
            return "cannot be opened (\(why))"
        case .emptyFile:
            return "is empty; save the recipient list from Excel as an .xlsx workbook"
        case .fileTooLarge(let size, let limit):
            return "is \(size) bytes, over the \(Self.size(limit)) limit for a recipient file; split the numbers into several files"
        case .passwordProtectedOrLegacy:
            return "is password-protected or an old .xls file; save it as a plain .xlsx workbook without a password"
        case .notZip:
            return "is not an .xlsx workbook (not a ZIP package); if it is CSV or .xls, open it in Excel and save it as .xlsx"
        case .brokenArchive(let why):
            return "is a damaged .xlsx package (\(why)); open it in Excel and save it again"
        case .tooManyParts(let limit):
            return "has more than \(limit) parts or relationships; this is not a recipient list"
        case .missingPart(let name):
            return "lacks the part \(name), so it is not a complete workbook; open it in Excel and save it again"
        case .noWorksheet:
            return "has no worksheet; put the numbers in column A of the first sheet"
        case .emptyPart(let name):
            return "has an empty or damaged part \(name) (0 bytes); open the file in Excel and save it again"
        case .partTooLarge(let limit):
            return "expands to more than \(Self.size(limit)) of XML; this is not a recipient list"
        case .malformedXML(let line, let detail):
            return "has broken XML at line \(line) (\(detail)); open it in Excel and save it again"
        case .forbiddenDTD:
            return "contains a DOCTYPE or entity declaration, which workbooks never need; refused for safety"
        case .tagTooLong(let limit):
            return "has an XML tag longer than \(limit) bytes; this is not a normal workbook"
        case .tooManySharedStrings(let limit):
            return "has more than \(limit) distinct texts; split the numbers into several files"
        case .sharedStringsTooLarge(let limit):
            return "holds more than \(Self.size(Int64(limit))) of shared text; split the numbers into several files"
        case .missingSharedStringIndex:
            return "is marked as shared text but has no valid text index; open the file in Excel and save it again"
        case .sharedStringIndexOutOfRange(let index, let count):
            return "refers to shared text #\(index) but the workbook has only \(count); open the file in Excel and save it again"
        case .invalidCellReference(let text):
            return "has an invalid cell reference \"\(text)\"; open the file in Excel and save it again"
        case .unknownCellType(let type):
            return "has an unknown cell type \"\(type)\"; open the file in Excel and save it again"
        case .formulaWithoutValue:
            return "holds a formula with no saved result; open and save the file in Excel, or paste the numbers as values"
        case .cellTooLong(let limit):
            return "holds more than \(limit) bytes of text; a phone number is much shorter"
        case .contentOutsideColumnA(let preview):
            return "has content (\(preview)); put numbers in column A of the first sheet only"
        case .tooManyCellStyles(let limit):
            return "lists more than \(limit) cell formats; this is not a normal workbook"
        case .missingHeader:
            return "comes before any header: with --variables columns row 1 is the header (A1 names the number column, " +
                "B1, C1, ... the template's variables in order); add that row"
        case .headerGap(let nextCell):
            return "is empty but \(nextCell) names a variable; give every variable column a header, with no gap"
        case .tooManyVariableColumns(let limit):
            return "names a value column past the \(limit) variables a template can hold; remove the extra columns"
        case .contentBeyondHeader(let preview, let lastHeaderCell):
            return "has content (\(preview)) right of the last variable column (\(lastHeaderCell)); " +
                "give it a header if it is a variable, else remove it"
        case .cellOutOfOrder:
            return "comes after a cell that follows it, or is repeated; open the file in Excel and save it again"
        case .invalidSheetName(let name, let why):
            return "cannot use the sheet name \"\(name)\": \(why)"
        case .invalidValue(let why):
            return "cannot be written: \(why)"
        case .writeFailed(let why):
            return "could not be written (\(why)); check that the folder exists and is writable"
        }
    }
}
