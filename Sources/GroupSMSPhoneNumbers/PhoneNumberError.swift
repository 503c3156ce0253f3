import GroupSMSModel
/// Errors of the phone-number layer: configuration problems and the import's count rules.
/// Rejected cells are not errors; they are `PhoneNumberRejection`s in the import report.
public enum PhoneNumberError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--default-country` names a region libphonenumber does not know.
    case unknownDefaultRegion(String)
    /// The compiled-in metadata could not be read (a build problem).
    case metadataUnreadable(String)
    /// A file holds no valid number; the platform takes 1 to 50,000 numbers per file.
    case noValidNumbers(file: String)
    /// A file holds more than `limit` entries.
    case tooManyEntries(file: String, limit: Int)
    /// The job holds more than `limit` distinct numbers; `file` is where the limit was passed.
    case tooManyNumbers(file: String, limit: Int)
    /// An entry was added while no file was open.
    case noOpenFile
    /// `--variables columns`: the header's value columns (each "B1 \"Name\"") are not one per
    /// variable of the catalogue template.
    case variableColumnCount(file: String, headerCells: [String], templateID: String, placeholders: [String])
    /// `--variables columns`, template not in the catalogue: this file has other value columns
    /// than the job's first file.
    case variableColumnsDiffer(file: String, headerCells: [String], firstFile: String, firstCount: Int)
    /// `--variables columns`: A1 holds a phone number, so the file has no header row.
    case numberInHeader(file: String, cell: String, value: String)

    /// The rule that refused the import, for scripts ("file-without-valid-number", ...).
    public var rule: String {
        switch self {
        case .unknownDefaultRegion: "unknown-default-country"
        case .metadataUnreadable: "metadata-unreadable"
        case .noValidNumbers: "file-without-valid-number"
        case .tooManyEntries: "too-many-entries-in-file"
        case .tooManyNumbers: "too-many-numbers-in-job"
        case .noOpenFile: "no-open-file"
        case .variableColumnCount: "variable-column-count"
        case .variableColumnsDiffer: "variable-columns-differ"
        case .numberInHeader: "number-in-header"
        }
    }

    /// A message the user can act on.
    public var description: String {
        switch self {
        case .unknownDefaultRegion(let region):
            "unknown default country \"\(region)\"; use a two-letter region code such as CN, US or GB"
        case .metadataUnreadable(let detail):
            "the built-in phone number metadata cannot be read (\(detail)); rebuild groupsms"
        case .noValidNumbers(let file):
            "\(file): no valid phone number in the file; each file must hold 1 to 50,000 numbers " +
                "(the console answers \"The recipient number quantity is out the range of 1-50000\")"
        case .tooManyEntries(let file, let limit):
            "\(file): more than \(Self.grouped(limit)) numbers in one file; split it into files of at most \(Self.grouped(limit)) rows " +
                "(the console answers \"The recipient number quantity is out the range of 1-50000\")"
        case .tooManyNumbers(let file, let limit):
            "\(file): the job now holds more than \(Self.grouped(limit)) distinct numbers, the most one task may hold; " +
                "split the files over several jobs"
        case .noOpenFile:
            "a recipient entry was added before any file was started"
        case .variableColumnCount(let file, let cells, let id, let placeholders):
            "\(file): the header has \(Self.columns(cells.count)) (\(cells.isEmpty ? "none after A1" : cells.joined(separator: ", "))) " +
                "but template \(id) has \(Self.count(placeholders.count, "variable"))" +
                (placeholders.isEmpty ? "" : " (\(placeholders.joined(separator: ", ")))") +
                "; give one column per variable, in order, in B1, C1, ..."
        case .variableColumnsDiffer(let file, let cells, let firstFile, let firstCount):
            "\(file): the header has \(Self.columns(cells.count)) (\(cells.isEmpty ? "none after A1" : cells.joined(separator: ", "))) " +
                "but \(firstFile) has \(firstCount); every file of the job needs the same value columns"
        case .numberInHeader(let file, let cell, let value):
            "\(file): cell \(cell) holds the number \(Self.quoted(value)); with --variables columns row 1 is the header: " +
                "A1 names the number column (e.g. \"Phone\") and B1, C1, ... the variables, so insert a header row"
        }
    }

    private static func columns(_ number: Int) -> String { count(number, "value column") }

    private static func count(_ number: Int, _ noun: String) -> String { number == 1 ? "1 \(noun)" : "\(number) \(noun)s" }

    /// `value` in double quotes on one line (`"`, `\\` and line breaks escaped).
    static func quoted(_ value: String) -> String { QuotedText.message(value) }

    /// 50000 → "50,000", without depending on the locale.
    private static func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}
