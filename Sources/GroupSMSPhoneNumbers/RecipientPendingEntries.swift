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
    private var texts = RecipientPendingTexts()

    init() { self.init(reserving: true) }

    private init(reserving: Bool) {
        guard reserving else { return }
        rows.reserveCapacity(Self.capacity)
        outcomes.reserveCapacity(Self.capacity)
        texts.reserveCapacity(Self.capacity)
    }

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }
    var isFull: Bool { rows.count >= Self.capacity }

    /// Adds the entry at A`row`, its normalising `outcome` and its cell `text`.
    mutating func append(row: Int, outcome: PhoneNumberOutcome, text: UnsafeBufferPointer<UInt8>) {
        rows.append(row)
        outcomes.append(outcome)
        texts.append(text)
    }

    func row(_ index: Int) -> Int { rows[index] }
    func outcome(_ index: Int) -> PhoneNumberOutcome { outcomes[index] }

    /// The cell text of entry `index`, as a string (made only for entries the report lists).
    func text(_ index: Int) -> String { texts.text(index) }

    /// Empties the group, keeping its storage.
    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        outcomes.removeAll(keepingCapacity: true)
        texts.removeAll()
    }
}

/// The cell texts of a group of pending entries or rows, copied into one buffer (the reader's
/// bytes last only for the call that hands them over).
struct RecipientPendingTexts {
    private var ends: [Int] = []
    private var bytes: [UInt8] = []

    /// Makes room for `count` texts of a phone number's usual length.
    mutating func reserveCapacity(_ count: Int) {
        ends.reserveCapacity(count)
        bytes.reserveCapacity(64 * count)
    }

    /// Adds the next text (nil for an entry without one: it reads as empty).
    mutating func append(_ text: UnsafeBufferPointer<UInt8>?) {
        if let text { bytes.append(contentsOf: text) }
        ends.append(bytes.count)
    }

    /// Text `index`, as a string.
    func text(_ index: Int) -> String {
        let start = index == 0 ? 0 : ends[index - 1]
        return String(decoding: bytes[start..<ends[index]], as: UTF8.self)
    }

    /// Empties the texts, keeping their storage.
    mutating func removeAll() {
        ends.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }
}
