/// Hand-written JSON output: a 500-number answer is written hundreds of times a second in the
/// benchmark, and report bodies must keep every value a string, as the platform writes them.
struct SimulatorJSONWriter {
    private(set) var text = ""

    init(capacity: Int = 256) { text.reserveCapacity(capacity) }

    /// Appends raw JSON punctuation or an already written fragment.
    mutating func raw(_ fragment: String) { text += fragment }

    /// Appends `"name":"value"`, with a comma first unless `first`.
    mutating func field(_ name: String, _ value: String, first: Bool = false) {
        if !first { text += "," }
        string(name)
        text += ":"
        string(value)
    }

    /// Appends `value` as a JSON string.
    mutating func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }

    /// The JSON as UTF-8 bytes.
    var bytes: [UInt8] { Array(text.utf8) }
}
