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

    /// The rule that refused the import, for scripts ("file-without-valid-number", ...).
    public var rule: String {
        switch self {
        case .unknownDefaultRegion: "unknown-default-country"
        case .metadataUnreadable: "metadata-unreadable"
        case .noValidNumbers: "file-without-valid-number"
        case .tooManyEntries: "too-many-entries-in-file"
        case .tooManyNumbers: "too-many-numbers-in-job"
        case .noOpenFile: "no-open-file"
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
        }
    }

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
