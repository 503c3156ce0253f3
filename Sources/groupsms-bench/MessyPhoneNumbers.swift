import GroupSMSModel
import GroupSMSPhoneNumbers

/// Deterministic messy recipient cells: numbers of 30 regions typed the ways people type
/// them (separators, 00, brackets, apostrophes, no-break spaces, full-width digits, numeric
/// cells in integer and exponent form), about 3% junk and 5% repeats. Stored as one byte
/// buffer so that the input itself stays small.
struct MessyPhoneNumbers {
    /// Region, calling code and share of the numbers (CN, the default region, dominates).
    static let regions: [(code: String, callingCode: String, weight: UInt64)] = [
        ("CN", "86", 40), ("US", "1", 4), ("GB", "44", 4), ("DE", "49", 3), ("FR", "33", 3), ("IT", "39", 2),
        ("ES", "34", 2), ("JP", "81", 3), ("KR", "82", 2), ("IN", "91", 3), ("BR", "55", 2), ("AR", "54", 1),
        ("MX", "52", 2), ("RU", "7", 2), ("AU", "61", 2), ("CA", "1", 2), ("SG", "65", 2), ("HK", "852", 3),
        ("TW", "886", 2), ("MY", "60", 2), ("TH", "66", 2), ("VN", "84", 2), ("ID", "62", 2), ("PH", "63", 2),
        ("TR", "90", 1), ("SA", "966", 1), ("AE", "971", 1), ("ZA", "27", 1), ("NG", "234", 1), ("EG", "20", 1),
    ]
    private static let junk = ["n/a", "123", "+999 1234 5678", "call me", "131 1234 567", "#N/A", "0", "+86 131 1234 5678 ext 9"]

    private var bytes: [UInt8] = []
    /// Per cell: start offset in `bytes` and length, with the top bit of the length set for
    /// numeric cells (8 bytes a cell, so a million cells stay small).
    private var cells: [(start: UInt32, length: UInt32)] = []
    private static let numericFlag: UInt32 = 1 << 31

    static func example(_ region: String) -> String {
        PhoneNumberNormalizer.exampleNumber(region: region, type: .mobile)
            ?? PhoneNumberNormalizer.exampleNumber(region: region, type: .fixedLine) ?? "+8613123456789"
    }

    init(count: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let totalWeight = Self.regions.reduce(0) { $0 + $1.weight }
        cells.reserveCapacity(count)
        for _ in 0..<count {
            let roll = random.next() % 100
            if roll < 3 {
                append(Self.junk[Int(random.next() % UInt64(Self.junk.count))], numeric: false)
            } else if roll < 8, !cells.isEmpty {
                cells.append(cells[Int(random.next() % UInt64(cells.count))])
            } else {
                var pick = random.next() % totalWeight
                let region = Self.regions.first { entry in
                    if pick < entry.weight { return true }
                    pick -= entry.weight
                    return false
                } ?? Self.regions[0]
                let (text, numeric) = Self.typed(region, &random)
                append(text, numeric: numeric)
            }
        }
    }

    private mutating func append(_ text: String, numeric: Bool) {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        cells.append((UInt32(start), UInt32(bytes.count - start) | (numeric ? Self.numericFlag : 0)))
    }

    /// Calls `body` with each row index and cell, making the `String` the reader would make.
    func forEachCell(_ body: (Int, RecipientCellValue) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { buffer in
            for (row, cell) in cells.enumerated() {
                let start = Int(cell.start)
                let end = start + Int(cell.length & ~Self.numericFlag)
                let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
                try body(row, cell.length & Self.numericFlag != 0 ? .number(text) : .text(text))
            }
        }
    }

    /// One number of `region`, with its last digits varied, typed in one of a dozen ways.
    private static func typed(_ region: (code: String, callingCode: String, weight: UInt64),
                              _ random: inout SeededRandom) -> (String, Bool) {
        let type: PhoneNumberType = random.next() % 100 < 88 ? .mobile : .fixedLine
        let example = PhoneNumberNormalizer.exampleNumber(region: region.code, type: type) ?? example(region.code)
        var national = Array(example.dropFirst(1 + region.callingCode.count))
        for index in max(national.count - 6, 3)..<national.count {
            national[index] = Character(String(random.next() % 10))
        }
        let nsn = String(national)
        let code = region.callingCode
        func grouped(_ separator: String) -> String {
            var parts: [String] = []
            var rest = Substring(nsn)
            while !rest.isEmpty {
                let size = rest.count > 5 ? (parts.isEmpty ? 3 : 4) : rest.count
                parts.append(String(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            return parts.joined(separator: separator)
        }
        if region.code == "CN" {
            switch random.next() % 8 {
            case 0: return (grouped(" "), false)
            case 1: return (grouped("-"), false)
            case 2: return (nsn, false)
            case 3: return (nsn, true)
            case 4: return random.next() % 2 == 0 ? ("86" + nsn, true) : (exponentForm("86" + nsn), true)
            case 5: return ("+86 " + grouped(" "), false)
            case 6: return ("0086" + nsn, false)
            default: return ("86 " + grouped(" "), false)
            }
        }
        switch random.next() % 20 {
        case 0, 1, 2, 3: return ("+\(code) " + grouped(" "), false)
        case 4, 5: return ("+\(code)-" + grouped("-"), false)
        case 6, 7: return ("00\(code) " + grouped(" "), false)
        case 8: return ("(+\(code)) " + grouped(" "), false)
        case 9: return (code + nsn, true)
        case 10: return ("+\(code) (" + nsn.prefix(3) + ") " + nsn.dropFirst(3), false)
        case 11: return ("+\(code)/" + nsn, false)
        case 12: return ("'+\(code)" + nsn, false)
        case 13: return ("+\(code)\u{00A0}" + grouped("\u{00A0}"), false)
        case 14: return (fullWidth("+\(code) " + grouped(" ")), false)
        case 15: return ("+\(code)." + grouped("."), false)
        default: return ("+\(code)\(nsn)", false)
        }
    }

    /// Excel's exponent form of an integer: 8613112345678 → "8.613112345678E+12".
    private static func exponentForm(_ digits: String) -> String {
        var mantissa = String(digits.prefix(1)) + "." + digits.dropFirst()
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
        return mantissa + "E+\(digits.count - 1)"
    }

    private static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar {
            case "0"..."9", "+": Unicode.Scalar(scalar.value + 0xFEE0) ?? scalar
            case " ": "\u{3000}"
            default: scalar
            }
        }))
    }
}
