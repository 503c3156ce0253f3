import Foundation
import GroupSMSXLSX

/// Builds the parts of small workbooks by hand, so a test can state exactly the XML it feeds the
/// reader and change one part (a relationship, a namespace, a part name) at a time.
public enum TestWorkbook {
    public static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    public static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    public static let strictMain = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    public static let strictRelationships = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// A worksheet part around `sheetData` rows (the inner XML of `<sheetData>`).
    public static func worksheet(_ rows: String, before: String = "", after: String = "", namespace: String = main) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="\(namespace)">\(before)<sheetData>\(rows)</sheetData>\(after)</worksheet>
        """
    }

    /// A shared-strings part from the inner XML of each `<si>`; `nil` items are written `<si/>`.
    public static func sharedStrings(_ items: [String?], namespace: String = main, claimedCount: Int? = nil) -> String {
        let count = claimedCount ?? items.count
        let body = items.map { $0.map { "<si>\($0)</si>" } ?? "<si/>" }.joined()
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <sst xmlns="\(namespace)" count="\(count)" uniqueCount="\(count)">\(body)</sst>
        """
    }

    /// A relationships part; each relationship is (id, type's last segment, target).
    public static func relationships(_ items: [(id: String, type: String, target: String)],
                                     typeBase: String = officeRelationships + "/") -> String {
        let body = items.map { #"<Relationship Id="\#($0.id)" Type="\#(typeBase)\#($0.type)" Target="\#($0.target)"/>"# }
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="\(packageRelationships)">\(body.joined())</Relationships>
        """
    }

    /// A workbook part listing sheets as (name, sheetId, r:id) in tab order.
    public static func workbook(_ sheets: [(name: String, sheetId: Int, rid: String)], namespace: String = main,
                                relationshipNamespace: String = officeRelationships, prefix: String = "r") -> String {
        let body = sheets.map { #"<sheet name="\#($0.name)" sheetId="\#($0.sheetId)" \#(prefix):id="\#($0.rid)"/>"# }
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="\(namespace)" xmlns:\(prefix)="\(relationshipNamespace)"><sheets>\(body.joined())</sheets></workbook>
        """
    }

    /// A styles part: custom number formats as (numFmtId, formatCode), and the `numFmtId` of each
    /// cell format in `<cellXfs>` (a cell's `s` indexes this list). A decoy `<cellStyleXfs>`
    /// comes first, as Excel writes it, to show that only `<cellXfs>` counts.
    public static func styles(numberFormats: [(id: Int, code: String)] = [], cellFormats: [Int]) -> String {
        let formats = numberFormats.map { #"<numFmt numFmtId="\#($0.id)" formatCode="\#($0.code)"/>"# }.joined()
        let xfs = cellFormats.map { #"<xf numFmtId="\#($0)" fontId="0" fillId="0" borderId="0" xfId="0"/>"# }.joined()
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="\(main)"><numFmts count="\(numberFormats.count)">\(formats)</numFmts>\
        <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>\
        <cellXfs count="\(cellFormats.count)">\(xfs)</cellXfs></styleSheet>
        """
    }

    /// The parts of a one-sheet workbook in the usual layout: `xl/workbook.xml`,
    /// `xl/worksheets/sheet1.xml` and, when given, `xl/sharedStrings.xml` and `xl/styles.xml`;
    /// `date1904` marks the workbook as counting day serials from 1904.
    public static func parts(sheet: String, sharedStrings: String? = nil, styles: String? = nil,
                             date1904: Bool = false) -> [(name: String, content: String)] {
        var workbookRelationships = [(id: "rId1", type: "worksheet", target: "worksheets/sheet1.xml")]
        var workbookPart = workbook([("Sheet1", 1, "rId1")])
        if date1904 { workbookPart = workbookPart.replacingOccurrences(of: "<sheets>", with: #"<workbookPr date1904="1"/><sheets>"#) }
        var parts: [(name: String, content: String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", relationships([("rId1", "officeDocument", "xl/workbook.xml")])),
            ("xl/workbook.xml", workbookPart),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        if let sharedStrings {
            workbookRelationships.append(("rId2", "sharedStrings", "sharedStrings.xml"))
            parts.append(("xl/sharedStrings.xml", sharedStrings))
        }
        if let styles {
            workbookRelationships.append(("rId3", "styles", "styles.xml"))
            parts.append(("xl/styles.xml", styles))
        }
        parts.append(("xl/_rels/workbook.xml.rels", relationships(workbookRelationships)))
        return parts
    }

    /// Writes `parts` as a ZIP package at `path`.
    public static func write(_ parts: [(name: String, content: String)], to path: String, zip64: Bool = false) throws {
        let entries = parts.map { TestZipArchive.Entry(name: $0.name, content: Array($0.content.utf8)) }
        try TestZipArchive(entries: entries, zip64: zip64).write(to: path)
    }

    static let contentTypes = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
    <Default Extension="xml" ContentType="application/xml"/></Types>
    """
}

/// Reading shortcuts for tests.
public enum XLSXTestReading {
    /// What reading one file with variable columns gave: its header, its rows (each cell as
    /// (reference, kind, number style, text)), and the refusal that stopped it.
    public struct Rows: Sendable {
        public var header: XLSXHeader?
        public var rows: [[RowCell]] = []
        public var error: XLSXError?
    }

    /// One cell of a row in `Rows`.
    public struct RowCell: Sendable, Equatable, CustomStringConvertible {
        public var reference: String
        public var kind: XLSXCellKind
        public var style: XLSXNumberStyle
        public var text: String

        public init(_ reference: String, _ kind: XLSXCellKind, _ style: XLSXNumberStyle, _ text: String) {
            (self.reference, self.kind, self.style, self.text) = (reference, kind, style, text)
        }

        public init(_ reference: String, _ kind: XLSXCellKind, _ text: String) {
            self.init(reference, kind, .plain, text)
        }

        public var description: String { "\(reference) \(kind) \(style) \(text)" }
    }

    /// Reads `path` with variable columns.
    public static func rows(_ path: String, limits: XLSXReadLimits = .standard) async -> Rows {
        var result = Rows()
        do {
            try await XLSXReader.readRowsBytes(paths: [path], limits: limits) { event in
                switch event {
                case .header(_, let header): result.header = header
                case .row(_, let row):
                    result.rows.append((1...row.width).compactMap { column in
                        row.cell(column: column).map {
                            RowCell(row.reference(column: column), $0.kind, $0.numberStyle, String(decoding: $0.text, as: UTF8.self))
                        }
                    })
                case .endOfFile: break
                }
            }
        } catch {
            result.error = error as? XLSXError ?? XLSXError(path: path, reason: .cannotOpen("unexpected error \(error)"))
        }
        return result
    }

    /// Every column-A cell of the first sheet.
    public static func cells(_ path: String, limits: XLSXReadLimits = .standard) throws -> [XLSXCell] {
        var cells: [XLSXCell] = []
        try XLSXReader(path: path, limits: limits).readColumnA { cells.append($0) }
        return cells
    }

    /// The `XLSXError` opening or reading `path` fails with, or nil when it reads cleanly.
    public static func refusal(_ path: String, limits: XLSXReadLimits = .standard) -> XLSXError? {
        do {
            _ = try cells(path, limits: limits)
            return nil
        } catch let error as XLSXError {
            return error
        } catch {
            return XLSXError(path: path, reason: .cannotOpen("unexpected error \(error)"))
        }
    }
}
