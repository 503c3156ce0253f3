/// A line of the generated metadata table that does not follow the format.
struct PhoneMetadataTableError: Error, CustomStringConvertible {
    let line: Int
    let problem: String
    var description: String { "phone metadata table line \(line): \(problem)" }
}

extension PhoneMetadataCatalog {
    /// Parses the table written by .tools/generate-phone-metadata.py:
    ///
    ///     V <release>
    ///     C <calling code> <region>...                (main region first)
    ///     R <region> <code> <flags M/S/-> <intl prefix> <national prefix>
    ///       <national prefix for parsing> <transform rule> <leading digits>
    ///     <kind> <lengths> <local-only lengths> <example> <pattern>   (after its R line)
    ///
    /// Fields are separated by one space; `~` marks an absent field.
    init(table: String) throws {
        var text = table
        self = try text.withUTF8 { bytes in try Self.parse(bytes) }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> PhoneMetadataCatalog {
        var version: String?
        var regions: [PhoneRegionMetadata] = []
        var codeLists: [(code: Int, regions: [String], line: Int)] = []
        var pending: PendingRegion?
        var lineNumber = 0

        var lineStart = 0
        var fields: [String] = []
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            lineNumber += 1
            Self.splitFields(bytes, lineStart..<lineEnd, into: &fields)
            guard let tag = fields.first else { continue }
            func fail(_ problem: String) -> PhoneMetadataTableError {
                PhoneMetadataTableError(line: lineNumber, problem: problem)
            }
            switch tag {
            case "V":
                guard fields.count == 2 else { throw fail("expected V <release>") }
                version = fields[1]
            case "C":
                guard fields.count >= 3, let code = Int(fields[1]) else { throw fail("expected C <code> <region>...") }
                codeLists.append((code, Array(fields[2...]), lineNumber))
            case "R":
                if let finished = pending { regions.append(finished.metadata) }
                guard fields.count == 9, let code = Int(fields[2]) else { throw fail("expected 9 fields in an R line") }
                pending = PendingRegion(fields: fields, countryCode: code)
            default:
                guard let kind = PhoneNumberPatternKind.byTableName[tag] else {
                    throw fail("unknown record '\(tag)'")
                }
                guard pending != nil else { throw fail("number description before any region") }
                guard fields.count == 5 else { throw fail("expected 5 fields in a number description") }
                guard let possible = Self.lengths(fields[1]), let local = Self.lengths(fields[2]) else {
                    throw fail("bad possible lengths")
                }
                pending?.descriptions[kind.rawValue] = PhoneNumberDescription(
                    possibleLengths: possible, localOnlyLengths: local,
                    exampleNumber: Self.optional(fields[3]), pattern: fields[4])
            }
        }
        if let finished = pending { regions.append(finished.metadata) }
        guard let version else { throw PhoneMetadataTableError(line: 0, problem: "no V line") }
        return try index(version: version, regions: regions, codeLists: codeLists)
    }

    private static func index(version: String, regions: [PhoneRegionMetadata],
                              codeLists: [(code: Int, regions: [String], line: Int)]) throws -> PhoneMetadataCatalog {
        var byCallingCode = [[Int32]](repeating: [], count: callingCodeLimit)
        var byRegion: [String: Int] = [:]
        for (index, region) in regions.enumerated() where region.regionCode != "001" {
            byRegion[region.regionCode] = index
        }
        var indexByCodeAndRegion: [String: Int] = [:]
        for (index, region) in regions.enumerated() {
            indexByCodeAndRegion["\(region.countryCode) \(region.regionCode)"] = index
        }
        for list in codeLists {
            guard list.code > 0, list.code < callingCodeLimit else {
                throw PhoneMetadataTableError(line: list.line, problem: "calling code out of range")
            }
            for regionCode in list.regions {
                guard let found = indexByCodeAndRegion["\(list.code) \(regionCode)"] else {
                    throw PhoneMetadataTableError(line: list.line, problem: "no R line for \(regionCode) +\(list.code)")
                }
                byCallingCode[list.code].append(Int32(found))
            }
        }
        return PhoneMetadataCatalog(libphonenumberVersion: version, regions: regions,
                                    regionIndicesByCallingCode: byCallingCode, regionIndexByCode: byRegion)
    }

    /// Splits `line` at single spaces into `fields` (reused to spare allocations).
    private static func splitFields(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, into fields: inout [String]) {
        fields.removeAll(keepingCapacity: true)
        var start = line.lowerBound
        for index in line where bytes[index] == UInt8(ascii: " ") {
            fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
            start = index + 1
        }
        if start < line.upperBound {
            fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<line.upperBound]), as: UTF8.self))
        }
    }

    private static func optional(_ field: String) -> String? { field == "~" ? nil : field }

    private static func lengths(_ field: String) -> [Int]? {
        if field == "~" { return [] }
        var result: [Int] = []
        for part in field.split(separator: ",") {
            guard let value = Int(part) else { return nil }
            result.append(value)
        }
        return result == result.sorted() ? result : nil
    }

    /// A region whose description lines are still being read.
    private struct PendingRegion {
        let fields: [String]
        let countryCode: Int
        var descriptions = [PhoneNumberDescription?](repeating: nil, count: PhoneNumberPatternKind.allCases.count)

        var metadata: PhoneRegionMetadata {
            PhoneRegionMetadata(
                regionCode: fields[1], countryCode: countryCode,
                isMainCountryForCode: fields[3].contains("M"),
                sameMobileAndFixedLinePattern: fields[3].contains("S"),
                internationalPrefix: PhoneMetadataCatalog.optional(fields[4]),
                nationalPrefix: PhoneMetadataCatalog.optional(fields[5]),
                nationalPrefixForParsing: PhoneMetadataCatalog.optional(fields[6]),
                nationalPrefixTransformRule: PhoneMetadataCatalog.optional(fields[7]),
                leadingDigits: PhoneMetadataCatalog.optional(fields[8]),
                descriptions: descriptions)
        }
    }
}
