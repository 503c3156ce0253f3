import GroupSMSModel
/// Turns recipient cells into E.164 numbers exactly as SPEC §2 "Number normalisation" says:
/// exact numeric cells, clean-up (NFKC, white space, zero-width characters, `- . ( ) / '`,
/// leading 00), libphonenumber's `parse(number, defaultRegion)` and `isValidNumber`.
///
/// A normaliser compiles each region's patterns the first time it meets the region and keeps
/// them, so use one normaliser for a whole job. It keeps scratch memory and is not Sendable:
/// use it from one task at a time (create one per task to work in parallel).
public final class PhoneNumberNormalizer {
    /// The libphonenumber release the built-in metadata comes from.
    public static var libphonenumberVersion: String { PhoneMetadataText.libphonenumberVersion }

    /// The region assumed for numbers written without a country code ("CN" unless configured).
    public let defaultRegion: String

    let catalog: PhoneMetadataCatalog
    /// The default region, compiled at creation (every number may need it).
    let compiledDefaultRegion: CompiledPhoneRegion
    /// Compiled regions by catalog index, filled on first use. Raw storage owned (and freed)
    /// by the normaliser: this lookup runs for every number, and an array property would add
    /// an exclusivity check each time.
    private let compiledRegions: UnsafeMutablePointer<CompiledPhoneRegion?>

    /// Digit buffers (values 0...9) for the cleaned input and the national-prefix transforms of
    /// one call; reused across calls so that normalising allocates nothing.
    private let scratch: UnsafeMutablePointer<UInt8>
    static let scratchSlotSize = 256
    static let scratchSlotCount = 5

    /// Longest cleaned input libphonenumber parses (`+` counted); longer is TOO_LONG.
    static let maximumInputLength = 250

    /// Creates a normaliser for numbers written without a country code in `defaultRegion`
    /// (an ISO 3166 region code such as "CN", "US", "GB"; case-insensitive).
    public init(defaultRegion: String = JobSettings.defaultCountry) throws(PhoneNumberError) {
        let catalog = try PhoneMetadataCatalog.bundled.get()
        let code = defaultRegion.uppercased()
        guard let index = catalog.regionIndexByCode[code] else { throw .unknownDefaultRegion(defaultRegion) }
        let compiledDefault: CompiledPhoneRegion
        do {
            compiledDefault = try CompiledPhoneRegion(catalog.regions[index])
        } catch {
            throw .metadataUnreadable(String(describing: error))
        }
        self.catalog = catalog
        self.defaultRegion = code
        self.compiledDefaultRegion = compiledDefault
        compiledRegions = .allocate(capacity: catalog.regions.count)
        compiledRegions.initialize(repeating: nil, count: catalog.regions.count)
        compiledRegions[index] = compiledDefault
        scratch = .allocate(capacity: Self.scratchSlotSize * Self.scratchSlotCount)
    }

    deinit {
        compiledRegions.deinitialize(count: catalog.regions.count)
        compiledRegions.deallocate()
        scratch.deallocate()
    }

    /// Normalises one cell: the E.164 number, or why it is rejected.
    public func normalize(_ value: RecipientCellValue) -> PhoneNumberOutcome {
        var buffers = PhoneScratchBuffers(base: scratch)
        let input = buffers.take()
        let cleaned: CleanedPhoneDigits
        let isNumericCell: Bool
        switch value {
        case .text(let text):
            cleaned = PhoneNumberCleanup.clean(text, into: input)
            isNumericCell = false
        case .number(let text):
            cleaned = PhoneNumberCleanup.cleanNumericCell(text, into: input)
            isNumericCell = true
        case .boolean(let text): return .rejected(PhoneNumberRejection(.booleanCell(text)))
        case .error(let text): return .rejected(PhoneNumberRejection(.errorCell(text)))
        case .date(let text): return .rejected(PhoneNumberRejection(.dateCell(text)))
        }
        switch cleaned {
        case .rejected(let reason):
            return .rejected(PhoneNumberRejection(reason))
        case .digits(let count, let hasPlus):
            let digits = UnsafeBufferPointer(start: input.baseAddress, count: min(count, Self.scratchSlotSize))
            return normalizeDigits(digits, totalCount: count, hasPlus: hasPlus, isNumericCell: isNumericCell,
                                   buffers: &buffers)
        }
    }

    /// Normalises one cell from its bytes; the same outcome as `normalize(value.value)`, with
    /// no `String` made unless the text has a non-ASCII byte (for NFKC) or is rejected.
    public func normalize(_ value: RecipientCellBytes) -> PhoneNumberOutcome {
        var buffers = PhoneScratchBuffers(base: scratch)
        let input = buffers.take()
        let cleaned: CleanedPhoneDigits
        switch value.kind {
        case .text: cleaned = PhoneNumberCleanup.clean(bytes: value.bytes, into: input)
        case .number: cleaned = PhoneNumberCleanup.cleanNumericCell(bytes: value.bytes, into: input)
        case .boolean, .error, .date: return normalize(value.value)
        }
        switch cleaned {
        case .rejected(let reason):
            return .rejected(PhoneNumberRejection(reason))
        case .digits(let count, let hasPlus):
            let digits = UnsafeBufferPointer(start: input.baseAddress, count: min(count, Self.scratchSlotSize))
            return normalizeDigits(digits, totalCount: count, hasPlus: hasPlus, isNumericCell: value.kind == .number,
                                   buffers: &buffers)
        }
    }

    /// Normalises a number typed as text; the same as `normalize(.text(text))`.
    public func normalize(text: String) -> PhoneNumberOutcome { normalize(.text(text)) }

    private func normalizeDigits(_ digits: UnsafeBufferPointer<UInt8>, totalCount: Int, hasPlus: Bool,
                                 isNumericCell: Bool, buffers: inout PhoneScratchBuffers) -> PhoneNumberOutcome {
        if totalCount + (hasPlus ? 1 : 0) > Self.maximumInputLength {
            return .rejected(PhoneNumberRejection(.tooLong))
        }
        let parsed: ParsedPhoneDigits
        do {
            parsed = try parse(digits, hasPlus: hasPlus, buffers: &buffers)
        } catch {
            return .rejected(PhoneNumberRejection(error.rejectionReason))
        }
        switch validate(parsed) {
        case .valid(let number):
            return .valid(number)
        case .invalid(let reason):
            let dropped = isNumericCell && parsed.countryCodeSource == .defaultRegion
            return .rejected(PhoneNumberRejection(reason, spreadsheetMayHaveDroppedPrefix: dropped))
        }
    }

    /// The compiled form of region `index`, compiling it on first use.
    func compiledRegion(_ index: Int) -> CompiledPhoneRegion {
        if let compiled = compiledRegions[index] { return compiled }
        do {
            let compiled = try CompiledPhoneRegion(catalog.regions[index])
            compiledRegions[index] = compiled
            return compiled
        } catch {
            // Every region of the bundled table is compiled by the test suite.
            preconditionFailure("bundled phone metadata for \(catalog.regions[index].regionCode) does not compile: \(error)")
        }
    }
}

/// Hands out the normaliser's scratch buffers during one `normalize` call (a local value, so
/// that taking a buffer costs no access to the normaliser's stored properties).
struct PhoneScratchBuffers {
    let base: UnsafeMutablePointer<UInt8>
    private var next = 0

    init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

    /// A fresh digit buffer; one call needs at most one for the input and one per
    /// national-prefix transform (at most three).
    mutating func take() -> UnsafeMutableBufferPointer<UInt8> {
        precondition(next < PhoneNumberNormalizer.scratchSlotCount, "phone parsing used more scratch buffers than planned")
        defer { next += 1 }
        return UnsafeMutableBufferPointer(start: base + next * PhoneNumberNormalizer.scratchSlotSize,
                                          count: PhoneNumberNormalizer.scratchSlotSize)
    }
}
