/// A line of the generated time-zone table that does not follow the format.
public struct PhoneTimeZoneTableError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line of the table.
    public let line: Int
    /// What is wrong with it.
    public let problem: String

    /// `phone time-zone table line 12: ...`, with what to do.
    public var description: String {
        "phone time-zone table line \(line): \(problem); regenerate it with .tools/generate-phone-timezones.py"
    }
}

extension PhoneTimeZones {
    /// Parses the table written by .tools/generate-phone-timezones.py:
    ///
    ///     V <release>
    ///     G <calling code>...                  codes whose mobile numbers are geographical
    ///     Z <zone id>                          zones, numbered from 0 in order
    ///     S <zone>&<zone>... <prefix>...       prefixes with that zone list; `STEM:DIGITS`
    ///                                          stands for STEM followed by each of DIGITS
    init(table: String) throws(PhoneTimeZoneTableError) {
        var builder = Builder()
        var lineNumber = 0
        for line in table.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let fields = line.split(separator: " ")
            guard let tag = fields.first else { continue }
            do throws(TableProblem) {
                try builder.read(tag: tag, fields: fields.dropFirst())
            } catch {
                throw PhoneTimeZoneTableError(line: lineNumber, problem: error.problem)
            }
        }
        guard let version = builder.version else { throw PhoneTimeZoneTableError(line: 0, problem: "no V line") }
        self.init(libphonenumberVersion: version, zoneLists: builder.zoneLists,
                  zoneListIndexByPrefix: builder.zoneListIndexByPrefix, longestPrefix: builder.longestPrefix,
                  geographicalMobileCallingCodes: builder.geographicalMobileCallingCodes)
    }

    private struct TableProblem: Error {
        let problem: String
    }

    /// The table as read so far.
    private struct Builder {
        var version: String?
        var geographicalMobileCallingCodes: Set<Int> = []
        var zones: [String] = []
        var zoneLists: [[String]] = []
        var zoneListIndexByHead: [Substring: UInt16] = [:]
        var zoneListIndexByPrefix: [UInt32: UInt16] = [:]
        var longestPrefix = 0

        mutating func read(tag: Substring, fields: ArraySlice<Substring>) throws(TableProblem) {
            switch tag {
            case "V":
                guard fields.count == 1 else { throw TableProblem(problem: "expected V <release>") }
                version = String(fields[fields.startIndex])
            case "G":
                for field in fields {
                    guard let code = Int(field) else { throw TableProblem(problem: "calling code '\(field)' is not a number") }
                    geographicalMobileCallingCodes.insert(code)
                }
            case "Z":
                guard fields.count == 1 else { throw TableProblem(problem: "expected Z <zone id>") }
                zones.append(String(fields[fields.startIndex]))
            case "S":
                guard let head = fields.first, fields.count >= 2 else {
                    throw TableProblem(problem: "expected S <zones> <prefix>...")
                }
                let index = try zoneListIndex(head)
                for token in fields.dropFirst() { try addPrefixes(token, zoneList: index) }
            default:
                throw TableProblem(problem: "unknown record '\(tag)'")
            }
        }

        /// The index of the zone list written `head` (`3&17`), adding it on first sight.
        private mutating func zoneListIndex(_ head: Substring) throws(TableProblem) -> UInt16 {
            if let known = zoneListIndexByHead[head] { return known }
            var list: [String] = []
            for number in head.split(separator: "&") {
                guard let zone = Int(number), zones.indices.contains(zone) else {
                    throw TableProblem(problem: "zone number '\(number)' is not in the Z table")
                }
                list.append(zones[zone])
            }
            guard !list.isEmpty, zoneLists.count < Int(UInt16.max) else { throw TableProblem(problem: "bad zone list '\(head)'") }
            zoneLists.append(list)
            let index = UInt16(zoneLists.count - 1)
            zoneListIndexByHead[head] = index
            return index
        }

        /// Adds a prefix token: digits, or `STEM:DIGITS` for STEM and each one digit more.
        private mutating func addPrefixes(_ token: Substring, zoneList: UInt16) throws(TableProblem) {
            let parts = token.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2, parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
                  let last = parts.last, !last.isEmpty else {
                throw TableProblem(problem: "prefix token '\(token)' is not digits or STEM:DIGITS")
            }
            let prefixes = parts.count == 1 ? [String(last)] : last.map { String(parts[0]) + String($0) }
            for prefix in prefixes {
                guard !prefix.hasPrefix("0"), prefix.count <= 9, let value = UInt32(prefix) else {
                    throw TableProblem(problem: "prefix '\(prefix)' must be 1-9 digits not starting with 0")
                }
                guard zoneListIndexByPrefix.updateValue(zoneList, forKey: value) == nil else {
                    throw TableProblem(problem: "prefix \(prefix) appears twice")
                }
                longestPrefix = max(longestPrefix, prefix.count)
            }
        }
    }
}
