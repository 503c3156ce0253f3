import GroupSMSModel

/// Reads a single status report: an `application/x-www-form-urlencoded` body such as
/// `sequence=1&total=1&updateTime=2018-04-13T06%3A31%3A46Z&source=2&smsMsgId=...&status=DELIVRD`.
///
/// `+` decodes to a space and `%XX` to the byte XX (either case, so `%3a` and `%3A` are `:`); the
/// decoded bytes must be UTF-8. A malformed escape is an error rather than kept literally: the
/// value would not be what the platform meant.
enum StatusReportFormParser {
    static func parse(_ body: ArraySlice<UInt8>) throws(StatusReportError) -> StatusReport {
        var fields: [String: String] = [:]
        for segment in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = segment.firstIndex(of: UInt8(ascii: "="))
            let rawName = segment[segment.startIndex..<(equals ?? segment.endIndex)]
            let rawValue = equals.map { segment[segment.index(after: $0)...] } ?? []
            let name = try decode(rawName, field: "name")
            guard StatusReportFields.names.contains(name) else { continue }
            let value = try decode(rawValue, field: name)
            guard fields.updateValue(value, forKey: name) == nil else { throw .duplicateField(name) }
        }
        return try StatusReportFields.report(from: fields, extendLimit: StatusReportFields.singleExtendLimit, entry: nil)
    }

    /// Percent- and plus-decodes one name or value.
    static func decode(_ raw: ArraySlice<UInt8>, field: String) throws(StatusReportError) -> String {
        // Fast path: most values (ids, codes) need no decoding at all.
        if !raw.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            guard let text = String(validating: raw, as: UTF8.self) else { throw .notUTF8(field: field) }
            return text
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard raw.endIndex - index >= 3, let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2]) else {
                    let escape = String(decoding: raw[index..<min(index + 3, raw.endIndex)], as: UTF8.self)
                    throw .badPercentEncoding(field: field, detail: "'\(escape)' is not % followed by two hex digits")
                }
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(field: field) }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
