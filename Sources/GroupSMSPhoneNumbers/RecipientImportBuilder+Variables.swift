import GroupSMSModel

/// Which template a job's value columns fill, and so how each row's values are checked (SPEC §7).
public struct RecipientVariableColumns: Sendable {
    /// The template's id, for messages.
    public let templateID: String
    /// The catalogue template's variables; nil when the template is not in the catalogue (then
    /// the first file's header sets how many values each row gives).
    public let template: TemplateText?

    /// Values for a catalogue template: the header must name one column per variable, and each
    /// value is checked against its variable.
    public init(template: MessageTemplate) {
        templateID = template.id
        self.template = template.text
    }

    /// Values for a template that is not in the catalogue: the header sets the count and only the
    /// rules every variable has are checked (never empty, no braces).
    public init(uncheckedTemplateID templateID: String) {
        self.templateID = templateID
        template = nil
    }
}

/// One value of a row, as the reader made it into the text that would be sent.
public enum RecipientValueText {
    /// The value's text (empty for an empty cell).
    case text(String)
    /// The value's UTF-8 text as the reader holds it, valid only during the `addRow` call (no
    /// `String` is made for a value that fits).
    case utf8(UnsafeBufferPointer<UInt8>)
    /// A cell whose content cannot be a value (an error cell, a date Excel cannot show): what it
    /// holds, and why.
    case unusable(shown: String, reason: String)
}

/// The builder's state for a job read with `--variables columns`.
struct RecipientVariableState {
    let columns: RecipientVariableColumns
    /// The rules rows are checked with; set by the first header when the template is unchecked.
    var rules: TemplateValueRules?
    /// The first file's path and header texts (B1, C1, ...), once read.
    var firstHeader: (file: String, texts: [String])?
    var fileHasHeader = false
    var valueSets: TemplateValueSets?
    var indices: [UInt32] = []
    /// Rows checked and gathered but not yet filed (`RecipientImportBuilder.filePendingRows`).
    var pending = RecipientPendingRows()

    init(_ columns: RecipientVariableColumns) {
        self.columns = columns
        rules = columns.template.map(TemplateValueRules.init(template:))
    }

    /// A value of the row being gathered that cannot be sent.
    struct Misfit {
        var variable: Int
        var value: String
        var reason: String
    }

    /// Gathers a row's values into `tuple` (empty), checking each against `rules` (which must be
    /// set); returns the first that does not fit. `value` gets each variable's index and, when
    /// known, the variable itself (a date cell's text depends on it).
    func gather(_ value: (Int, TemplateVariable?) -> RecipientValueText, into tuple: inout TemplateValueTuple) -> Misfit? {
        // `rules!` in place, not copied into a local: a copy retains its array for every row.
        for index in 0..<rules!.arity {
            switch value(index, rules!.variable(index)) {
            case .utf8(let bytes):
                if !rules!.surelyFits(utf8: bytes, at: index) {
                    let text = String(decoding: bytes, as: UTF8.self)
                    if let misfit = rules!.misfit(text, at: index) { return Misfit(variable: index, value: text, reason: misfit.description) }
                }
                tuple.append(utf8: bytes)
            case .text(let text):
                if let misfit = rules!.misfit(text, at: index) { return Misfit(variable: index, value: text, reason: misfit.description) }
                tuple.append(text)
            case .unusable(let shown, let reason):
                return Misfit(variable: index, value: shown, reason: reason)
            }
        }
        return nil
    }

    /// What the report carries.
    var values: RecipientValues? {
        guard let firstHeader, let valueSets else { return nil }
        return RecipientValues(header: firstHeader.texts, valueSets: valueSets, valueSetIndices: indices)
    }
}

extension RecipientImportBuilder {
    /// Takes the open file's header: `cells` are A1, B1, ... as read. Refuses a header whose value
    /// columns do not match the template's variables (or the first file's columns, when the
    /// template is not in the catalogue), and an A1 that holds a phone number (the file has no
    /// header, and its first row would be lost).
    public mutating func addHeader(cells: [RecipientCellEntry]) throws(PhoneNumberError) {
        guard fileIsOpen, var state = variables, let file = files.last?.path else { throw .noOpenFile }
        precondition(!state.fileHasHeader, "one header per file")
        variables = nil  // `state` is the only reference while it changes; put back below
        defer { variables = state }
        if let first = cells.first, case .valid = normalizer.normalize(first.value) {
            throw .numberInHeader(file: file, cell: first.cell, value: first.value.displayText)
        }
        let valueCells = Array(cells.dropFirst())
        let named = valueCells.map { "\($0.cell) \(PhoneNumberError.quoted($0.value.displayText))" }
        if let template = state.columns.template, template.variables.count != valueCells.count {
            throw .variableColumnCount(file: file, headerCells: named, templateID: state.columns.templateID,
                                       placeholders: template.variables.map(\.placeholder))
        }
        if let first = state.firstHeader, first.texts.count != valueCells.count {
            throw .variableColumnsDiffer(file: file, headerCells: named, firstFile: first.file, firstCount: first.texts.count)
        }
        if state.firstHeader == nil {
            state.firstHeader = (file, valueCells.map(\.value.displayText))
            state.valueSets = TemplateValueSets(arity: valueCells.count)
            // Room for one file's rows, each with its own values (the worst case); a job that
            // holds more grows the table as it goes.
            state.valueSets?.reserveCapacity(tuples: entriesPerFileLimit)
            if state.rules == nil { state.rules = TemplateValueRules(uncheckedArity: valueCells.count) }
        }
        state.fileHasHeader = true
    }

    /// Adds row `row` of the open file: its number cell (nil when column A is empty) and its
    /// values, `value(i, variable)` for variable i (0-based), which is passed when the template is
    /// in the catalogue. The row becomes a valid number with its
    /// values, a duplicate (the first row's values are kept) or an invalid entry: the number's
    /// cell when the number is not usable, else the first value that does not fit, named by its
    /// cell, with the `--param` rule it breaks. A row with a bad value does not claim its number,
    /// so a later row with the same number and good values is the one kept.
    public mutating func addRow(row: Int, number: RecipientCellBytes?,
                                value: (Int, TemplateVariable?) -> RecipientValueText) throws(PhoneNumberError) {
        try addRow(row: row, number: number, outcome: number.map { normalizer.normalize($0) }, value: value)
    }

    /// `addRow(row:number:value:)` with the number already normalised (`outcome`, nil when
    /// there is no number), by this builder's normaliser or one for the same region.
    mutating func addRow(row: Int, number: RecipientCellBytes?, outcome: PhoneNumberOutcome?,
                         value: (Int, TemplateVariable?) -> RecipientValueText) throws(PhoneNumberError) {
        // The state is changed in place (`variables!`), never copied out: a copy per row would
        // retain and release every array it holds.
        guard fileIsOpen, variables?.fileHasHeader == true, variables?.rules != nil else { throw .noOpenFile }
        let fileIndex = files.count - 1
        // A row past the file's limit is refused after the rows before it are filed.
        if files[fileIndex].rows >= entriesPerFileLimit { try filePendingRows() }
        try countEntry(fileIndex)
        var tuple = variables!.pending.nextTuple()
        // Values are checked only for a usable number: the number's own refusal comes first.
        var misfit: RecipientVariableState.Misfit?
        if case .valid? = outcome { misfit = variables!.gather(value, into: &tuple) }
        variables!.pending.append(row: row, outcome: outcome, text: number?.bytes, misfit: misfit, tuple: &tuple)
        if variables!.pending.isFull { try filePendingRows() }
    }

    /// Files the pending rows in order, the dedupe index's slots of their numbers and the
    /// tuple table's slots of their values loaded first, together.
    mutating func filePendingRows() throws(PhoneNumberError) {
        guard variables?.pending.isEmpty == false else { return }
        var group = RecipientPendingRows.spare
        swap(&group, &variables!.pending)
        defer {
            group.removeAll()
            swap(&group, &variables!.pending)
        }
        for index in 0..<group.count {
            guard case .values = group.disposition(index), case .valid(let number)? = group.outcome(index) else { continue }
            prefetch(number.e164Value)
            variables!.valueSets!.touch(group.tuples[index])
        }
        let fileIndex = files.count - 1
        for index in 0..<group.count {
            let row = group.row(index)
            switch group.disposition(index) {
            case .withoutNumber:
                markInvalid(fileIndex, cell: "A" + String(row), value: "", reason: Self.rowWithoutNumber)
            case .badValue(let misfit):
                let cell = RecipientValueColumns.reference(row: row, variable: misfit.variable)
                markInvalid(fileIndex, cell: cell, value: misfit.value, reason: misfit.reason)
            case .unusableNumber:
                _ = try record(group.outcome(index)!, file: fileIndex, at: .columnA(row: row), value: { group.text(index) })
            case .values:
                if case .valid = try record(group.outcome(index)!, file: fileIndex, at: .columnA(row: row), value: { group.text(index) }) {
                    variables!.indices.append(variables!.valueSets!.intern(group.tuples[index]))
                }
            }
        }
    }

    /// The reason of a row that holds values but no number.
    static let rowWithoutNumber = "column A is empty but the row holds values; put the number in column A or delete the row"

    private mutating func markInvalid(_ fileIndex: Int, cell: String, value: String, reason: String) {
        files[fileIndex].invalid += 1
        invalid.append(.init(file: files[fileIndex].path, cell: cell, value: value, reason: reason))
    }
}

/// Cell names of the value columns: variable 0 is column B.
enum RecipientValueColumns {
    static func reference(row: Int, variable: Int) -> String {
        String(UnicodeScalar(UInt8(ascii: "B") + UInt8(variable))) + String(row)
    }
}
