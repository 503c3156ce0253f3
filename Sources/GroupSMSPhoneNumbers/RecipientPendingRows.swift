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

    /// What filing does with a row.
    enum Disposition {
        /// Column A is empty: an invalid entry.
        case withoutNumber
        /// The number is not usable: filed as its outcome says.
        case unusableNumber
        /// A usable number with a value that does not fit: an invalid entry naming the value's cell.
        case badValue(cell: String, value: String, reason: String)
        /// A usable number with good values, gathered in `tuple(_:)`.
        case values
    }

    private(set) var count = 0
    private var rows: [Int] = []
    private var dispositions: [Disposition] = []
    private var outcomes: [PhoneNumberOutcome?] = []
    /// The E.164 value of each row whose values are filed (0 for the others), for loading slots
    /// without copying outcomes.
    private(set) var filedNumbers: [UInt64] = []
    private var textEnds: [Int] = []
    private var bytes: [UInt8] = []
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
        dispositions.reserveCapacity(Self.capacity)
        outcomes.reserveCapacity(Self.capacity)
        filedNumbers.reserveCapacity(Self.capacity)
        textEnds.reserveCapacity(Self.capacity)
        bytes.reserveCapacity(64 * Self.capacity)
    }

    var isEmpty: Bool { count == 0 }
    var isFull: Bool { count >= Self.capacity }

    /// The tuple the next row's values are gathered into (emptied).
    mutating func nextTuple() -> TemplateValueTuple {
        var tuple = TemplateValueTuple(arity: 0)
        swap(&tuple, &tuples[count])
        tuple.removeAll()
        return tuple
    }

    /// Adds row `row`: what filing does with it, its number's outcome and cell text (none for a
    /// row without a number) and the tuple its values were gathered into (from `nextTuple`).
    mutating func append(row: Int, _ disposition: Disposition, outcome: PhoneNumberOutcome?,
                         text: UnsafeBufferPointer<UInt8>?, tuple: inout TemplateValueTuple) {
        rows.append(row)
        dispositions.append(disposition)
        outcomes.append(outcome)
        if case .values = disposition, case .valid(let number)? = outcome {
            filedNumbers.append(number.e164Value)
        } else {
            filedNumbers.append(0)
        }
        if let text { bytes.append(contentsOf: text) }
        textEnds.append(bytes.count)
        swap(&tuple, &tuples[count])
        count += 1
    }

    func row(_ index: Int) -> Int { rows[index] }
    func disposition(_ index: Int) -> Disposition { dispositions[index] }
    func outcome(_ index: Int) -> PhoneNumberOutcome? { outcomes[index] }

    /// The number cell's text of row `index`, as a string (made only for entries the report lists).
    func text(_ index: Int) -> String {
        let start = index == 0 ? 0 : textEnds[index - 1]
        return String(decoding: bytes[start..<textEnds[index]], as: UTF8.self)
    }

    /// Empties the group, keeping its storage.
    mutating func removeAll() {
        count = 0
        rows.removeAll(keepingCapacity: true)
        dispositions.removeAll(keepingCapacity: true)
        outcomes.removeAll(keepingCapacity: true)
        filedNumbers.removeAll(keepingCapacity: true)
        textEnds.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }
}
