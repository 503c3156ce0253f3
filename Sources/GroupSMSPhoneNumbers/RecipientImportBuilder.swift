import GroupSMSModel
/// Builds a job's recipient list from its files (SPEC §2 steps 1-5): every entry becomes a
/// valid number, a duplicate or an invalid entry; numbers are deduplicated on E.164 across
/// all files in first-seen order; the optional header (A1 without a digit) is skipped.
///
/// Feed files one after another: `beginFile`, `add` for each column-A cell in row order,
/// `endFile`; then `finish`. The count rules are refusals thrown as `PhoneNumberError`: a file
/// with no valid number (at `endFile`), a file with more than 50,000 entries and a job with
/// more than 1,000,000 distinct numbers (at the `add` that passes the limit). A refusal ends
/// the import: discard the builder.
///
/// Not Sendable (it owns a `PhoneNumberNormalizer`): build a job's list in one task.
public struct RecipientImportBuilder {
    /// The most entries one file may hold (the console's 1-50000 rule).
    public static let maximumEntriesPerFile = 50_000
    /// The most distinct numbers one job may hold.
    public static let maximumNumbersPerJob = 1_000_000

    /// What happened to one added entry.
    public enum EntryResult: Sendable, Equatable {
        /// A1 without a digit: the column header, skipped and not counted.
        case header
        /// A number not seen before in this job.
        case valid(NormalizedPhoneNumber)
        /// A valid number seen before; `firstFile`/`firstCell` say where.
        case duplicate(NormalizedPhoneNumber, firstFile: String, firstCell: String)
        /// Not a usable number.
        case invalid(PhoneNumberRejection)
    }

    /// The normaliser in use (its default region applies to numbers without a country code).
    public let normalizer: PhoneNumberNormalizer
    let entriesPerFileLimit: Int
    let numbersPerJobLimit: Int
    var files: [RecipientImportReport.FileSummary] = []
    var fileIsOpen = false
    private var numbers = E164FirstSeenSet()
    private var origins = RecipientCellOrigins()
    var invalid: [RecipientImportReport.InvalidEntry] = []
    private var numbersByRegion: [String: Int] = [:]
    private var warnings: [RecipientImportReport.Warning] = []
    private var duplicateEntries: [RecipientImportReport.DuplicateEntry] = []
    private var totalDuplicates = 0
    /// Entries `addColumnA` has normalised but not yet filed (see `RecipientPendingEntries`).
    private var pending = RecipientPendingEntries()
    /// The values of a job read with `--variables columns`; nil for column A alone.
    var variables: RecipientVariableState?

    /// Creates a builder whose numbers without a country code belong to `defaultRegion`.
    public init(defaultRegion: String = JobSettings.defaultCountry) throws(PhoneNumberError) {
        self.init(normalizer: try PhoneNumberNormalizer(defaultRegion: defaultRegion))
    }

    /// Creates a builder that uses `normalizer`.
    public init(normalizer: PhoneNumberNormalizer) {
        self.init(normalizer: normalizer, maximumEntriesPerFile: Self.maximumEntriesPerFile,
                  maximumNumbersPerJob: Self.maximumNumbersPerJob)
    }

    /// Creates a builder for files read with `--variables columns` (SPEC §7): each file gives a
    /// header (`addHeader`) and rows (`addRow`) instead of column-A entries.
    public init(normalizer: PhoneNumberNormalizer, variables: RecipientVariableColumns) {
        self.init(normalizer: normalizer)
        self.variables = RecipientVariableState(variables)
    }

    /// A builder with other limits (tests use small ones).
    init(normalizer: PhoneNumberNormalizer, maximumEntriesPerFile: Int, maximumNumbersPerJob: Int,
         variables: RecipientVariableColumns? = nil) {
        precondition(maximumNumbersPerJob < E164FirstSeenSet.capacity, "job limit beyond the dedupe index")
        self.normalizer = normalizer
        entriesPerFileLimit = maximumEntriesPerFile
        numbersPerJobLimit = maximumNumbersPerJob
        self.variables = variables.map(RecipientVariableState.init)
    }

    /// Loads the dedupe index's slot for `e164Value` ahead of its insert (see `E164FirstSeenSet.touch`).
    mutating func prefetch(_ e164Value: UInt64) {
        numbers.touch(e164Value)
    }

    /// Makes room for a job of about `entries` entries (at most the job's number limit), so
    /// that the dedupe index need not grow while importing.
    public mutating func reserveCapacity(entries: Int) {
        numbers.reserveCapacity(min(entries, numbersPerJobLimit))
    }

    /// Starts the next file; ends the open one first (which may refuse it).
    public mutating func beginFile(_ path: String) throws(PhoneNumberError) {
        if fileIsOpen { try endFile() }
        files.append(.init(path: path, rows: 0, valid: 0, invalid: 0, duplicates: 0))
        fileIsOpen = true
        variables?.fileHasHeader = false
    }

    /// Adds the next entry of the open file: its cell reference and value.
    @discardableResult
    public mutating func add(cell: String, value: RecipientCellValue) throws(PhoneNumberError) -> EntryResult {
        precondition(variables == nil, "a job read with --variables columns adds rows, not column-A entries")
        guard fileIsOpen else { throw .noOpenFile }
        try filePending()
        let fileIndex = files.count - 1
        if files[fileIndex].rows == 0 && Self.isHeader(cell: cell, value: value) { return .header }
        try countEntry(fileIndex)
        switch try record(normalizer.normalize(value), file: fileIndex, at: .reference(cell), value: { value.displayText }) {
        case .valid(let number):
            return .valid(number)
        case .duplicate(let number, let first):
            let origin = origins[first]
            return .duplicate(number, firstFile: files[origin.file].path, firstCell: origin.cell)
        case .invalid(let rejection):
            return .invalid(rejection)
        }
    }

    /// Adds the next entry of the open file, cell A`row`, from the bytes the reader holds: the
    /// same result as `add(cell:value:)`, but strings are made only for entries the report
    /// lists (invalid entries, duplicates, warnings), not for every cell. Entries are filed in
    /// groups (`RecipientPendingEntries`); refusals still come at the entry that causes them.
    public mutating func addColumnA(row: Int, value: RecipientCellBytes) throws(PhoneNumberError) {
        precondition(variables == nil, "a job read with --variables columns adds rows, not column-A entries")
        guard fileIsOpen else { throw .noOpenFile }
        let fileIndex = files.count - 1
        if files[fileIndex].rows == 0 && row == 1 && value.kind == .text && Self.isHeader(cell: "A1", value: value.value) {
            return
        }
        // An entry past the file's limit is refused after the entries before it are filed.
        if files[fileIndex].rows >= entriesPerFileLimit { try filePending() }
        try countEntry(fileIndex)
        pending.append(row: row, outcome: normalizer.normalize(value), text: value.bytes)
        if pending.isFull { try filePending() }
    }

    /// Files the pending entries in order, the dedupe index's slots for all their numbers
    /// loaded first, together.
    private mutating func filePending() throws(PhoneNumberError) {
        guard !pending.isEmpty else { return }
        var group = RecipientPendingEntries.spare
        swap(&group, &pending)
        defer {
            group.removeAll()
            swap(&group, &pending)
        }
        for index in 0..<group.count {
            if case .valid(let number) = group.outcome(index) { numbers.touch(number.e164Value) }
        }
        let fileIndex = files.count - 1
        for index in 0..<group.count {
            _ = try record(group.outcome(index), file: fileIndex, at: .columnA(row: group.row(index)),
                           value: { group.text(index) })
        }
    }

    /// Where an entry stands: cell A`row`, or any reference (kept as given).
    enum EntryPosition {
        case columnA(row: Int)
        case reference(String)

        var reference: String {
            switch self {
            case .columnA(let row): "A" + String(row)
            case .reference(let cell): cell
            }
        }
    }

    /// What `record` did with an entry; `first` is the first-seen position of a repeated number.
    enum Recorded {
        case valid(NormalizedPhoneNumber)
        case duplicate(NormalizedPhoneNumber, first: Int)
        case invalid(PhoneNumberRejection)
    }

    /// Counts an entry of file `fileIndex`; refuses the file past its entry limit.
    mutating func countEntry(_ fileIndex: Int) throws(PhoneNumberError) {
        files[fileIndex].rows += 1
        guard files[fileIndex].rows <= entriesPerFileLimit else {
            throw .tooManyEntries(file: files[fileIndex].path, limit: entriesPerFileLimit)
        }
    }

    /// Files a normalised entry as valid, duplicate or invalid; `value` gives the cell's text
    /// for the entries the report lists.
    mutating func record(_ outcome: PhoneNumberOutcome, file fileIndex: Int, at position: EntryPosition,
                                 value: () -> String) throws(PhoneNumberError) -> Recorded {
        switch outcome {
        case .rejected(let rejection):
            files[fileIndex].invalid += 1
            invalid.append(.init(file: files[fileIndex].path, cell: position.reference, value: value(),
                                 reason: rejection.message))
            return .invalid(rejection)
        case .valid(let number):
            if let first = numbers.insert(number.e164Value) {
                let origin = origins[first]
                files[fileIndex].duplicates += 1
                totalDuplicates += 1
                duplicateEntries.append(.init(file: files[fileIndex].path, cell: position.reference, value: value(),
                                              number: number.e164, firstFile: files[origin.file].path,
                                              firstCell: origin.cell))
                return .duplicate(number, first: first)
            }
            switch position {
            case .columnA(let row): origins.append(file: fileIndex, columnARow: row)
            case .reference(let cell): origins.append(file: fileIndex, cell: cell)
            }
            files[fileIndex].valid += 1
            numbersByRegion[number.regionCode, default: 0] += 1
            guard numbers.count <= numbersPerJobLimit else {
                throw .tooManyNumbers(file: files[fileIndex].path, limit: numbersPerJobLimit)
            }
            if !number.type.canReceiveSMS {
                warnings.append(.init(file: files[fileIndex].path, cell: position.reference, value: value(),
                                      number: number.e164, type: number.type))
            }
            return .valid(number)
        }
    }

    /// Ends the open file; refuses it when it holds no valid number (duplicates of numbers
    /// in earlier files count as valid here: the file alone would be accepted).
    public mutating func endFile() throws(PhoneNumberError) {
        guard fileIsOpen else { throw .noOpenFile }
        try filePending()
        try filePendingRows()
        guard let file = files.last else { throw .noOpenFile }
        fileIsOpen = false
        if file.valid + file.duplicates == 0 { throw .noValidNumbers(file: file.path) }
    }

    /// Adds a whole file: `beginFile`, every entry, `endFile`.
    public mutating func addFile(_ path: String, entries: some Sequence<RecipientCellEntry>) throws(PhoneNumberError) {
        try beginFile(path)
        for entry in entries { try add(cell: entry.cell, value: entry.value) }
        try endFile()
    }

    /// Ends the open file, if any, and returns the report.
    public mutating func finish() throws(PhoneNumberError) -> RecipientImportReport {
        if fileIsOpen { try endFile() }
        return RecipientImportReport(
            files: files, valid: numbers.count, duplicates: totalDuplicates, invalid: invalid,
            numbers: E164NumberList(e164Values: numbers.values),
            warnings: warnings, duplicateEntries: duplicateEntries, numbersByRegion: numbersByRegion,
            variables: variables?.values)
    }

    /// The optional header: cell A1 holding text without a digit (full-width digits count).
    static func isHeader(cell: String, value: RecipientCellValue) -> Bool {
        guard cell == "A1" || cell == "a1", case .text(let text) = value else { return false }
        return !text.unicodeScalars.contains { $0.properties.numericType == .decimal }
    }
}
