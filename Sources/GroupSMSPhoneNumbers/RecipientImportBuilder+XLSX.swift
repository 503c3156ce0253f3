import GroupSMSModel
import GroupSMSXLSX

/// Reading recipient workbooks: the first stage of the data path (file → cells → numbers).
extension RecipientImportBuilder {
    /// Reads column A of the first worksheet of the XLSX file at `path` into the import.
    ///
    /// Throws `XLSXError` when the workbook is refused (not a workbook, hostile, content outside
    /// column A) and `PhoneNumberError` when a count rule refuses the file.
    public mutating func addWorkbook(at path: String) throws {
        let reader = try XLSXReader(path: path)
        try beginFile(path)
        try reader.readColumnA { cell in
            try add(cell: cell.reference, value: RecipientCellValue(cell))
        }
        try endFile()
    }

    /// Reads a workbook like `addWorkbook(at:)`, scanning the sheet on a second core while this
    /// task loads the shared strings and normalises the numbers (`XLSXReader.readColumnA(path:)`).
    /// Same result, same errors.
    public mutating func addWorkbookConcurrently(at path: String) async throws {
        var opened = false
        try await XLSXReader.readColumnABytes(path: path) { cell in
            // Begin the file at its first cell (or below, when it has none): as with `addWorkbook`,
            // a workbook refused while opening leaves no file entry behind.
            if !opened {
                try beginFile(path)
                opened = true
            }
            try addColumnA(row: cell.row, value: RecipientCellBytes(kind: .init(cell.kind), bytes: cell.text))
        }
        if !opened { try beginFile(path) }
        try endFile()
    }

    /// Reads the workbooks in `paths`, in order, like `addWorkbookConcurrently(at:)` on each in
    /// turn (same result, same errors), but the next file's sheet scan and shared strings start
    /// while this task still normalises the current file's numbers
    /// (`XLSXReader.readColumnABytes(paths:)`).
    public mutating func addWorkbooksConcurrently(at paths: [String]) async throws {
        reserveCapacity(entries: paths.count * entriesPerFileLimit)
        var opened: Int?
        try await XLSXReader.readColumnABytes(paths: paths) { event in
            switch event {
            case .cell(let file, let cell):
                if opened != file {
                    try beginFile(paths[file])
                    opened = file
                }
                try addColumnA(row: cell.row, value: RecipientCellBytes(kind: .init(cell.kind), bytes: cell.text))
            case .endOfFile(let file):
                if opened != file { try beginFile(paths[file]) }
                opened = nil
                try endFile()
            }
        }
    }

    /// Imports every workbook in `paths`, in order, and returns the report; sheets are scanned
    /// and shared strings loaded on a second core while numbers are normalised on this one.
    public static func importWorkbooksConcurrently(_ paths: [String], defaultRegion: String = JobSettings.defaultCountry) async throws
        -> RecipientImportReport {
        var builder = try RecipientImportBuilder(defaultRegion: defaultRegion)
        try await builder.addWorkbooksConcurrently(at: paths)
        return try builder.finish()
    }

    /// Imports every workbook in `paths`, in order, and returns the report.
    public static func importWorkbooks(_ paths: [String], defaultRegion: String = JobSettings.defaultCountry) throws -> RecipientImportReport {
        var builder = try RecipientImportBuilder(defaultRegion: defaultRegion)
        for path in paths {
            try builder.addWorkbook(at: path)
        }
        return try builder.finish()
    }
}

extension RecipientCellValue {
    /// The value of a worksheet cell as the number layer sees it: text cells as text, numeric
    /// cells with their exact stored decimal text.
    public init(_ cell: XLSXCell) {
        switch cell.kind {
        case .sharedString, .inlineString, .formulaString: self = .text(cell.text)
        case .number: self = .number(cell.text)
        case .boolean: self = .boolean(cell.text)
        case .error: self = .error(cell.text)
        case .date: self = .date(cell.text)
        }
    }
}

extension RecipientCellBytes.Kind {
    /// How the number layer reads a worksheet cell's storage: every kind of string as text.
    public init(_ kind: XLSXCellKind) {
        switch kind {
        case .sharedString, .inlineString, .formulaString: self = .text
        case .number: self = .number
        case .boolean: self = .boolean
        case .error: self = .error
        case .date: self = .date
        }
    }
}

/// Reading recipient workbooks with `--variables columns` (SPEC §7).
extension RecipientImportBuilder {
    /// Reads the workbooks in `paths`, in order, with variable columns: each file's header, then
    /// each row's number and values (`addHeader`, `addRow`), on two cores like
    /// `addWorkbooksConcurrently(at:)`. Each row's number is normalised on the task that
    /// assembles the rows, by a normaliser of that task's own for the same region
    /// (`RecipientNumberAnnotator`), while this task checks and files the rows before it.
    /// The builder must have been made with `variables:`.
    ///
    /// Throws `XLSXError` when a workbook is refused (its layout, hostile content) and
    /// `PhoneNumberError` when a header or a count rule refuses the file.
    public mutating func addWorkbooksWithVariables(at paths: [String]) async throws {
        precondition(variables != nil, "make the builder with variables: to read variable columns")
        reserveCapacity(entries: paths.count * entriesPerFileLimit)
        var opened: Int?
        var date1904 = false
        let region = normalizer.defaultRegion
        // The outcomes of the current run of rows, and the next row's place in them.
        var outcomes: [PhoneNumberOutcome?] = []
        var next = 0
        func annotated(_ annotation: any Sendable) {
            outcomes = annotation as? [PhoneNumberOutcome?] ?? []
            next = 0
        }
        try await XLSXReader.readRowsBytes(paths: paths, annotating: { RecipientNumberAnnotator(region: region) },
                                           annotations: annotated) { event in
            switch event {
            case .header(let file, let header):
                try beginFile(paths[file])
                opened = file
                date1904 = header.date1904
                try addHeader(cells: header.cells.map { RecipientCellEntry(cell: $0.reference, value: RecipientCellValue($0)) })
            case .row(_, let row):
                let number = row.cell(column: 1).map { RecipientCellBytes(kind: .init($0.kind), bytes: $0.text) }
                // A row the annotator did not normalise is normalised here.
                let outcome = next < outcomes.count ? outcomes[next] : number.map { normalizer.normalize($0) }
                next += 1
                try addRow(row: row.row, number: number, outcome: outcome) { index, variable in
                    RecipientValueCell.text(of: row.cell(column: index + 2), variable: variable, date1904: date1904)
                }
            case .endOfFile(let file):
                if opened != file { try beginFile(paths[file]) }
                opened = nil
                try endFile()
            }
        }
    }

    /// Imports every workbook in `paths` with variable columns for `variables` and returns the
    /// report, whose `variables` holds each number's values.
    public static func importWorkbooksWithVariables(_ paths: [String], variables: RecipientVariableColumns,
                                                    defaultRegion: String = JobSettings.defaultCountry) async throws
        -> RecipientImportReport {
        var builder = RecipientImportBuilder(normalizer: try PhoneNumberNormalizer(defaultRegion: defaultRegion),
                                             variables: variables)
        try await builder.addWorkbooksWithVariables(at: paths)
        return try builder.finish()
    }
}

/// Normalises each row's number on the task that assembles the rows, with a normaliser of its
/// own (a normaliser is not shared between tasks). Its annotation of a run of rows is their
/// outcomes in order (nil for a row without a number); without a normaliser it annotates
/// nothing and the filing task normalises every number itself.
final class RecipientNumberAnnotator: XLSXRowAnnotator {
    private let normalizer: PhoneNumberNormalizer?
    private var outcomes: [PhoneNumberOutcome?] = []

    init(region: String) {
        normalizer = try? PhoneNumberNormalizer(defaultRegion: region)
    }

    func add(_ row: XLSXRowBytes) {
        guard let normalizer else { return }
        outcomes.append(row.cell(column: 1).map { normalizer.normalize(RecipientCellBytes(kind: .init($0.kind), bytes: $0.text)) })
    }

    func seal() -> any Sendable {
        defer { outcomes = [] }
        return outcomes
    }
}
