import Foundation

/// What a numeric cell's number format makes of it on screen: a plain number, or a calendar
/// value (Excel stores dates and times as day serials and shows them through the format).
public enum XLSXNumberStyle: UInt8, Sendable, Equatable {
    /// Not a date or time format (General, 0.00, text, currency, ...).
    case plain
    /// A date without a time of day (`yyyy/m/d`, `d-mmm-yy`, `yyyy"年"m"月"d"日"`, ...).
    case date
    /// A time of day without a date (`h:mm`, `h:mm:ss AM/PM`, `[h]:mm`, ...).
    case time
    /// Both (`m/d/yy h:mm`, ...).
    case dateTime
}

/// The number style of each cell format (`<cellXfs>` of `xl/styles.xml`), by the index a cell's
/// `s` attribute gives, read by streaming the part: one byte per format.
///
/// A format is a date or time when its `numFmtId` is one of the built-in date and time formats
/// (ECMA-376 §18.8.30, with the East Asian ids Excel uses in Chinese, Japanese and Korean
/// locales), or a custom `<numFmt>` whose code holds date or time tokens outside quoted text,
/// escapes and `[...]` sections (colours, locales; `[h]`, `[m]`, `[s]` elapsed times count).
struct XLSXCellStyles: Sendable {
    private var styles: [XLSXNumberStyle] = []

    /// No styles: every cell is plain (a workbook without a styles part).
    init() {}

    /// Reads the cell formats of `part`; at most `limits.maxCellStyles` of them.
    init(archive: ZipArchive, part: String, limits: XLSXReadLimits) throws {
        var custom: [Int: XLSXNumberStyle] = [:]
        var formatIDs: [Int] = []
        try XLSXPartScanner.scan(archive: archive, part: part, limits: limits) { reader in
            let numFmt = reader.name("numFmt"), cellXfs = reader.name("cellXfs"), xf = reader.name("xf")
            let numFmtId = reader.name("numFmtId"), formatCode = reader.name("formatCode")
            var inCellXfs = false
            while let kind = try reader.next() {
                guard kind == .element || kind == .endElement else { continue }
                let local = reader.localName
                if local == cellXfs {
                    inCellXfs = kind == .element && !reader.isEmptyElement
                } else if kind == .element, local == numFmt {
                    guard custom.count < limits.maxCellStyles else {
                        throw XLSXError(path: archive.path, part: part, reason: .tooManyCellStyles(limits.maxCellStyles))
                    }
                    let id = reader.attribute(numFmtId) { XLSXScanText.index($0) } ?? nil
                    let style = reader.attribute(formatCode) { Self.classify(formatCode: $0) } ?? .plain
                    if let id { custom[id] = style }
                } else if inCellXfs, kind == .element, local == xf {
                    guard formatIDs.count < limits.maxCellStyles else {
                        throw XLSXError(path: archive.path, part: part, reason: .tooManyCellStyles(limits.maxCellStyles))
                    }
                    formatIDs.append((reader.attribute(numFmtId) { XLSXScanText.index($0) } ?? nil) ?? 0)
                }
            }
        }
        styles = formatIDs.map { custom[$0] ?? Self.builtIn($0) }
    }

    /// The style of cell format `index` (a cell's `s`); plain for an index the part does not list.
    func style(_ index: Int) -> XLSXNumberStyle {
        index >= 0 && index < styles.count ? styles[index] : .plain
    }

    /// The built-in number formats that show dates or times.
    static func builtIn(_ id: Int) -> XLSXNumberStyle {
        switch id {
        case 14...17, 27...31, 36, 50...54, 57, 58: .date
        case 18...21, 32...35, 45...47, 55, 56: .time
        case 22: .dateTime
        default: .plain
        }
    }

    /// Classifies a custom format code by its first section (the one positive numbers use).
    static func classify(formatCode: UnsafeBufferPointer<UInt8>) -> XLSXNumberStyle {
        var hasDate = false, hasTime = false, hasMonthOrMinute = false
        var index = 0
        while index < formatCode.count {
            let byte = formatCode[index]
            switch byte {
            case UInt8(ascii: ";"):
                index = formatCode.count
                continue
            case UInt8(ascii: "\""):
                index += 1
                while index < formatCode.count, formatCode[index] != UInt8(ascii: "\"") { index += 1 }
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                index += 1  // the next character is literal (or a width or fill)
            case UInt8(ascii: "["):
                let start = index + 1
                while index < formatCode.count, formatCode[index] != UInt8(ascii: "]") { index += 1 }
                let section = formatCode[start..<min(index, formatCode.count)].map { $0 | 0x20 }
                if !section.isEmpty, section.allSatisfy({ $0 == UInt8(ascii: "h") || $0 == UInt8(ascii: "m") || $0 == UInt8(ascii: "s") }) {
                    hasTime = true
                }
            default:
                switch byte | 0x20 {
                case UInt8(ascii: "d"), UInt8(ascii: "y"): hasDate = true
                case UInt8(ascii: "h"), UInt8(ascii: "s"): hasTime = true
                case UInt8(ascii: "m"): hasMonthOrMinute = true
                default: break
                }
            }
            index += 1
        }
        // A lone `m` is a month (Excel reads `mm` as minutes only next to hours or seconds).
        switch (hasDate || (hasMonthOrMinute && !hasTime), hasTime) {
        case (true, true): return .dateTime
        case (true, false): return .date
        case (false, true): return .time
        case (false, false): return .plain
        }
    }
}
