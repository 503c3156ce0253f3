import GroupSMSModel

/// Rows of a file read with `--variables columns` that `RecipientImportBuilder.addRow` has
/// normalised and whose values it has checked and gathered, not yet filed.
///
/// Filing a row looks its number up in the job's dedupe index and its values up in the table of
/// value tuples; both are far larger than the caches, so one row at a time waits for memory
/// twice. Gathering a group first lets the builder load all the group's slots together (the
/// misses overlap), then file the rows in order, so counts, lists, tuple order and refusals are
/// exactly those of filing one row at a time (as `RecipientPendingEntries` does for column A).
struct RecipientPendingRows {
    /// Rows gathered before they are filed.
    static let capacity = 16

    /// What filing does with a row, as its outcome and values say.
    enum Disposition {
        /// Column A is empty: an invalid entry.
        case withoutNumber
        /// The number is not usable: filed as its outcome says.
        case unusableNumber
        /// A usable number with a value that does not fit: an invalid entry naming the value's cell.
        case badValue(RecipientVariableState.Misfit)
        /// A usable number with good values, gathered in its place's tuple.
        case values
    }

    private var rows: [Int] = []
    /// Each row's number outcome; nil for a row without a number.
    private var outcomes: [PhoneNumberOutcome?] = []
    /// The first value of each row that does not fit (checked only for usable numbers).
    private var misfits: [RecipientVariableState.Misfit?] = []
    private var texts = RecipientPendingTexts()
    /// One reusable tuple per place in the group: row `i`'s values are `tuples[i]`.
    private(set) var tuples: [TemplateValueTuple]

    /// An empty value to swap with (allocates nothing).
    static var spare: RecipientPendingRows { RecipientPendingRows(reserving: false) }

    init() { self.init(reserving: true) }

    private init(reserving: Bool) {
        tuples = []
        guard reserving else { return }
        tuples = (0..<Self.capacity).map { _ in TemplateValueTuple(arity: TemplateText.maximumVariables) }
        rows.reserveCapacity(Self.capacity)
        outcomes.reserveCapacity(Self.capacity)
        misfits.reserveCapacity(Self.capacity)
        texts.reserveCapacity(Self.capacity)
    }

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }
    var isFull: Bool { rows.count >= Self.capacity }

    /// The tuple the next row's values are gathered into (emptied).
    mutating func nextTuple() -> TemplateValueTuple {
        var tuple = TemplateValueTuple(arity: 0)
        swap(&tuple, &tuples[count])
        tuple.removeAll()
        return tuple
    }

    /// Adds row `row`: its number's outcome and cell text (none for a row without a number),
    /// the first value that does not fit, and the tuple its values were gathered into (from
    /// `nextTuple`).
    mutating func append(row: Int, outcome: PhoneNumberOutcome?, text: UnsafeBufferPointer<UInt8>?,
                         misfit: RecipientVariableState.Misfit?, tuple: inout TemplateValueTuple) {
        swap(&tuple, &tuples[count])
        rows.append(row)
        outcomes.append(outcome)
        misfits.append(misfit)
        texts.append(text)
    }

    func row(_ index: Int) -> Int { rows[index] }
    func outcome(_ index: Int) -> PhoneNumberOutcome? { outcomes[index] }

    func disposition(_ index: Int) -> Disposition {
        switch outcomes[index] {
        case nil: .withoutNumber
        case .rejected?: .unusableNumber
        case .valid?: misfits[index].map { .badValue($0) } ?? .values
        }
    }

    /// The number cell's text of row `index`, as a string (made only for entries the report lists).
    func text(_ index: Int) -> String { texts.text(index) }

    /// Empties the group, keeping its storage.
    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        outcomes.removeAll(keepingCapacity: true)
        misfits.removeAll(keepingCapacity: true)
        texts.removeAll()
    }
}
