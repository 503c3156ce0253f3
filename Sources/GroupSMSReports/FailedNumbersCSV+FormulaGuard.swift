extension FailedNumbersCSV {
    /// A field made safe to open in a spreadsheet: text starting with `=`, `+`, `-`, `@`, a tab
    /// or a carriage return would be run as a formula by Excel, LibreOffice and Google Sheets
    /// (CSV formula injection; an invalid entry's cell text comes from whoever wrote the
    /// recipient file), so it gets a leading `'`, which those programs show as plain text.
    ///
    /// A phone number is data, not a formula: `+` followed only by digits (E.164) is kept as it
    /// is, so the number column stays machine-readable and re-importable. Every other field,
    /// including an invalid entry such as `+86 131-abc`, is guarded.
    public static func neutralisingFormula(_ field: String) -> String {
        guard let first = field.utf8.first else { return field }
        let triggers: [UInt8] = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]
        guard triggers.contains(first) else { return field }
        if first == UInt8(ascii: "+"), field.utf8.count > 1,
           field.utf8.dropFirst().allSatisfy({ (0x30...0x39).contains($0) }) {
            return field
        }
        return "'" + field
    }
}
