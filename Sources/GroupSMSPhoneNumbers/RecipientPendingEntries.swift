/// Entries of one file that `RecipientImportBuilder.addColumnA` has normalised but not yet
/// filed, with a copy of their text (the reader's bytes last only for the call).
///
/// Filing checks each valid number against the job's dedupe index, which at a million numbers
/// is far larger than the caches: one insert at a time, every lookup waits for memory. Gathering
/// a group first lets the builder load all the group's slots together (the misses overlap),
/// then file the entries in order, so counts, lists and refusals are exactly those of filing
/// one at a time.
struct RecipientPendingEntries {
    /// Entries gathered before they are filed.
    static let capacity = 16
    /// An empty value to swap with (allocates nothing).
    static var spare: RecipientPendingEntries { RecipientPendingEntries(reserving: false) }

    private var rows: [Int] = []
    private var outcomes: [PhoneNumberOutcome] = []
    private var textEnds: [Int] = []
    private var bytes: [UInt8] = []

    init() { self.init(reserving: true) }

    private init(reserving: Bool) {
        guard reserving else { return }
        rows.reserveCapacity(Self.capacity)
        outcomes.reserveCapacity(Self.capacity)
        textEnds.reserveCapacity(Self.capacity)
        bytes.reserveCapacity(64 * Self.capacity)
    }

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }
    var isFull: Bool { rows.count >= Self.capacity }

    /// Adds the entry at A`row`, its normalising `outcome` and its cell `text`.
    mutating func append(row: Int, outcome: PhoneNumberOutcome, text: UnsafeBufferPointer<UInt8>) {
        rows.append(row)
        outcomes.append(outcome)
        bytes.append(contentsOf: text)
        textEnds.append(bytes.count)
    }

    func row(_ index: Int) -> Int { rows[index] }
    func outcome(_ index: Int) -> PhoneNumberOutcome { outcomes[index] }

    /// The cell text of entry `index`, as a string (made only for entries the report lists).
    func text(_ index: Int) -> String {
        let start = index == 0 ? 0 : textEnds[index - 1]
        return String(decoding: bytes[start..<textEnds[index]], as: UTF8.self)
    }

    /// Empties the group, keeping its storage.
    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        outcomes.removeAll(keepingCapacity: true)
        textEnds.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }
}
