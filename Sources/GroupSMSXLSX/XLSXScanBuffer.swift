/// The bytes of one cell's `<v>` as the sheet scan gathers them: a buffer of fixed capacity
/// (the cell-size limit) allocated once per scan, so that gathering a value is a bounds check
/// and a copy, and emptying it is setting a count; an `Array` here checks uniqueness and
/// capacity on every append, for each of the hundreds of thousands of cells a sheet holds.
///
/// Owned by one `XLSXSheetScanner`, which frees it (`deallocate`) when it goes.
struct XLSXScanBuffer {
    private let base: UnsafeMutablePointer<UInt8>
    /// The most bytes the buffer holds.
    let capacity: Int
    /// Bytes gathered so far.
    private(set) var count = 0

    /// Allocates room for `capacity` bytes.
    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: max(capacity, 1))
    }

    /// Appends `bytes`; false, appending nothing, when they do not fit.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= capacity - count else { return false }
        if let source = bytes.baseAddress { (base + count).update(from: source, count: bytes.count) }
        count += bytes.count
        return true
    }

    /// Empties the buffer.
    mutating func removeAll() { count = 0 }

    /// The bytes gathered, valid until the buffer next changes.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Frees the storage; the buffer must not be used afterwards.
    func deallocate() { base.deallocate() }
}
