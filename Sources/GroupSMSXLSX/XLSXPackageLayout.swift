import Foundation

/// Where the first worksheet and its shared strings live in a package, found by following
/// relationships the way Excel does: `_rels/.rels` → workbook → first `<sheet>` → its `r:id`.
struct XLSXPackageLayout {
    /// The first worksheet's part, e.g. `xl/worksheets/sheet1.xml`.
    var sheetPart: String
    /// The first worksheet's tab name.
    var sheetName: String
    /// The shared-strings part, when the workbook has one.
    var sharedStringsPart: String?
    /// The styles part (cell and number formats), when the workbook has one.
    var stylesPart: String?
    /// Whether day serials count from 1904-01-01 (`<workbookPr date1904="1"/>`) instead of 1900.
    var date1904 = false

    /// Reads the package's relationships and workbook part to find the first worksheet.
    init(archive: ZipArchive, limits: XLSXReadLimits) throws {
        let workbook = try Self.workbookPart(archive: archive, limits: limits)
        let relsPart = XLSXPartName.relationshipsPart(for: workbook)
        guard archive.contains(relsPart) else {
            throw XLSXError(path: archive.path, reason: .missingPart(relsPart))
        }
        let relationships = try XLSXRelationships(archive: archive, part: relsPart, source: workbook, limits: limits)
        var found: (name: String, part: String)?
        var date1904 = false
        try XLSXPartScanner.scan(archive: archive, part: workbook, limits: limits) { reader in
            let sheetsName = reader.name("sheets"), sheetName = reader.name("sheet")
            let nameName = reader.name("name"), idName = reader.name("id")
            let workbookProperties = reader.name("workbookPr"), date1904Name = reader.name("date1904")
            var inSheets = false
            while found == nil, let kind = try reader.next() {
                guard kind == .element || kind == .endElement else { continue }
                let local = reader.localName
                if kind == .element, local == workbookProperties {
                    // xsd:boolean: "1" or "true" (workbookPr comes before sheets).
                    date1904 = reader.attribute(date1904Name) { $0.first == UInt8(ascii: "1") || $0.first == UInt8(ascii: "t") } ?? false
                } else if local == sheetsName {
                    inSheets = kind == .element && !reader.isEmptyElement
                } else if inSheets, kind == .element, local == sheetName {
                    var tabName = "", id = ""
                    try reader.forEachAttribute { attribute, _, value in
                        if attribute == nameName { tabName = String(decoding: value, as: UTF8.self) }
                        if attribute == idName { id = String(decoding: value, as: UTF8.self) }
                    }
                    if let target = relationships.worksheets[id] { found = (tabName, target) }
                }
            }
        }
        guard let found else {
            throw XLSXError(path: archive.path, part: workbook, reason: .noWorksheet)
        }
        guard archive.contains(found.part) else {
            throw XLSXError(path: archive.path, reason: .missingPart(found.part))
        }
        sheetPart = archive.storedName(found.part)
        sheetName = found.name
        self.date1904 = date1904
        stylesPart = Self.optionalPart(relationships.styles, conventional: "styles.xml", workbook: workbook, archive: archive)
        sharedStringsPart = Self.optionalPart(relationships.sharedStrings, conventional: "sharedStrings.xml",
                                              workbook: workbook, archive: archive)
    }

    /// The part a relationship names when the archive holds it, else the conventional part
    /// next to the workbook when present (some producers omit the relationship).
    private static func optionalPart(_ related: String?, conventional: String, workbook: String,
                                     archive: ZipArchive) -> String? {
        if let related, archive.contains(related) { return related }
        let fallback = XLSXPartName.resolve(conventional, from: workbook)
        return archive.contains(fallback) ? fallback : nil
    }

    /// The workbook part named by the package's `officeDocument` relationship.
    private static func workbookPart(archive: ZipArchive, limits: XLSXReadLimits) throws -> String {
        let rootRels = "_rels/.rels"
        if archive.contains(rootRels) {
            let relationships = try XLSXRelationships(archive: archive, part: rootRels, source: "", limits: limits)
            if let workbook = relationships.officeDocument {
                guard archive.contains(workbook) else {
                    throw XLSXError(path: archive.path, reason: .missingPart(workbook))
                }
                return workbook
            }
        }
        // A package without a usable root relationship: accept the conventional location.
        guard archive.contains("xl/workbook.xml") else {
            throw XLSXError(path: archive.path, reason: .missingPart(rootRels))
        }
        return "xl/workbook.xml"
    }
}

/// The relationships of one part that the reader cares about, with targets resolved to part names.
struct XLSXRelationships {
    /// The first `officeDocument` target (package relationships only).
    private(set) var officeDocument: String?
    /// Worksheet targets by relationship id.
    private(set) var worksheets: [String: String] = [:]
    /// The first `sharedStrings` target.
    private(set) var sharedStrings: String?
    /// The first `styles` target.
    private(set) var styles: String?

    /// Reads the `.rels` part `part`, resolving targets against `source` (the part it describes).
    init(archive: ZipArchive, part: String, source: String, limits: XLSXReadLimits) throws {
        try XLSXPartScanner.scan(archive: archive, part: part, limits: limits) { reader in
            let relationshipName = reader.name("Relationship")
            let idName = reader.name("Id"), typeName = reader.name("Type")
            let targetName = reader.name("Target"), modeName = reader.name("TargetMode")
            while let kind = try reader.next() {
                guard kind == .element, reader.localName == relationshipName else { continue }
                var id = "", type = "", target = "", external = false
                try reader.forEachAttribute { name, _, value in
                    if name == idName { id = String(decoding: value, as: UTF8.self) }
                    if name == typeName { type = String(decoding: value, as: UTF8.self) }
                    if name == targetName { target = String(decoding: value, as: UTF8.self) }
                    if name == modeName { external = String(decoding: value, as: UTF8.self) == "External" }
                }
                guard !external, !target.isEmpty else { continue }
                // Transitional and Strict OOXML differ only before the last path segment.
                let kind = type.split(separator: "/").last.map(String.init) ?? ""
                let resolved = XLSXPartName.resolve(target, from: source)
                switch kind {
                case "officeDocument" where officeDocument == nil: officeDocument = resolved
                case "sharedStrings" where sharedStrings == nil: sharedStrings = resolved
                case "styles" where styles == nil: styles = resolved
                case "worksheet":
                    guard worksheets.count < limits.maxParts else {
                        throw XLSXError(path: archive.path, part: part, reason: .tooManyParts(limits.maxParts))
                    }
                    if worksheets[id] == nil { worksheets[id] = resolved }
                default: break
                }
            }
        }
    }
}

/// Opens a part and runs a body over its XML stream.
enum XLSXPartScanner {
    static func scan(archive: ZipArchive, part: String, limits: XLSXReadLimits,
                     _ body: (XMLStreamReader) throws -> Void) throws {
        let stream = try archive.open(part, maxBytes: limits.maxPartBytes)
        let reader = try XMLStreamReader(source: stream, path: archive.path, part: stream.part,
                                         maxTagBytes: limits.maxTagBytes)
        try body(reader)
    }
}

/// Part names inside a package (OPC): relationship targets and `.rels` locations.
enum XLSXPartName {
    /// The relationships part for `part`, e.g. `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
    static func relationshipsPart(for part: String) -> String {
        let segments = part.split(separator: "/", omittingEmptySubsequences: true)
        let directory = segments.dropLast().joined(separator: "/")
        let file = segments.last.map(String.init) ?? ""
        return (directory.isEmpty ? "" : directory + "/") + "_rels/" + file + ".rels"
    }

    /// Resolves a relationship target: relative to `source`'s folder, or absolute when it starts
    /// with `/`; `\` is read as `/`, `.` and `..` are applied and %-escapes decoded.
    static func resolve(_ target: String, from source: String) -> String {
        let cleaned = target.replacingOccurrences(of: "\\", with: "/")
        let decoded = cleaned.removingPercentEncoding ?? cleaned
        var segments: [Substring] = []
        if !decoded.hasPrefix("/") {
            segments = source.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        }
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }
}
