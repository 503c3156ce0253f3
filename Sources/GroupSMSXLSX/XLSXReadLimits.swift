/// The caps that keep reading bounded in time and memory whatever a file claims.
///
/// The defaults follow the platform's rules (12 MB per recipient file) and leave generous room
/// for real workbooks; tests lower them to exercise each refusal cheaply.
public struct XLSXReadLimits: Sendable, Equatable {
    /// Largest accepted file on disk (the platform's 12 MB).
    public var maxFileBytes: Int64 = 12 << 20
    /// Largest inflated size of any one part, counted while reading (declared sizes can lie).
    public var maxPartBytes: Int64 = 256 << 20
    /// Most entries accepted in the ZIP package.
    public var maxParts: Int = 100_000
    /// Most entries accepted in the shared-strings table.
    public var maxSharedStrings: Int = 2_000_000
    /// Most bytes of UTF-8 text accepted in the shared-strings table.
    public var maxSharedStringBytes: Int = 64 << 20
    /// Most bytes of text in one cell (Excel's own limit is 32,767 characters).
    public var maxCellBytes: Int = 256 << 10
    /// Most cell formats (and most custom number formats) accepted in the styles part; Excel
    /// itself keeps at most about 64,000.
    public var maxCellStyles: Int = 65_536
    /// Longest start tag accepted; bounds libxml2's work on tags with huge attribute lists.
    public var maxTagBytes: Int = 256 << 10

    /// The standard limits.
    public static let standard = XLSXReadLimits()

    /// Creates the standard limits; change fields to tighten them.
    public init() {}
}
