/// The XML parts of a workbook written by `XLSXWriter`.
enum XLSXWriterParts {
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationshipNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// Style indexes in `styles()`: 0 General, 1 Text (`@`), 2 Text in bold for headers.
    static let textStyle = "1", headerStyle = "2"

    /// Excel's limit on the characters in one cell.
    static let maxCellCharacters = 32_767

    static func worksheet(_ sheet: XLSXSheet, selected: Bool, strings: inout XLSXSharedStringTable?) throws -> XMLStreamWriter {
        let xml = try XMLStreamWriter()
        let hasHeader = !sheet.header.isEmpty
        let lastRow = sheet.rows.count + (hasHeader ? 1 : 0)
        let lastColumn = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0, 1)
        let range = "A1:" + XLSXCellReference.name(row: max(lastRow, 1), column: lastColumn)
        xml.start("worksheet")
        xml.attribute("xmlns", mainNamespace)
        xml.attribute("xmlns:r", relationshipNamespace)
        xml.empty("dimension", ["ref": range])
        xml.start("sheetViews")
        xml.start("sheetView")
        if selected { xml.attribute("tabSelected", "1") }
        xml.attribute("workbookViewId", "0")
        if hasHeader {
            xml.empty("pane", ["ySplit": "1", "topLeftCell": "A2", "activePane": "bottomLeft", "state": "frozen"])
        }
        xml.end()
        xml.end()
        xml.empty("sheetFormatPr", ["defaultRowHeight": "15"])
        xml.start("cols")
        for (column, width) in columnWidths(sheet, columns: lastColumn).enumerated() {
            // Formatting whole columns as Text keeps numbers typed in later as text too.
            xml.empty("col", ["min": String(column + 1), "max": String(column + 1), "width": String(width),
                              "style": textStyle, "customWidth": "1"])
        }
        xml.end()
        xml.start("sheetData")
        if hasHeader {
            try writeRow(xml, row: 1, sheet.header.map { .text($0) }, style: headerStyle, strings: &strings)
        }
        for (offset, values) in sheet.rows.enumerated() {
            try writeRow(xml, row: offset + (hasHeader ? 2 : 1), values, style: textStyle, strings: &strings)
        }
        xml.end()
        xml.empty("pageMargins", ["left": "0.7", "right": "0.7", "top": "0.75", "bottom": "0.75",
                                  "header": "0.3", "footer": "0.3"])
        xml.start("ignoredErrors")
        xml.empty("ignoredError", ["sqref": range, "numberStoredAsText": "1"])
        xml.end()
        xml.end()
        return xml
    }

    private static func writeRow(_ xml: XMLStreamWriter, row: Int, _ values: [XLSXValue], style: String,
                                 strings: inout XLSXSharedStringTable?) throws {
        guard values.contains(where: { $0 != .text("") }) else { return }
        let rowText = String(row)
        xml.start("row")
        xml.attribute("r", rowText)
        for (column, value) in values.enumerated() {
            let reference = XLSXCellReference.columnLetters(column + 1) + rowText
            switch value {
            case .text(let text):
                guard !text.isEmpty else { continue }
                guard text.utf16.count <= maxCellCharacters else {
                    throw XLSXError(path: "", cell: reference, reason: .invalidValue(
                        "cell \(reference) would hold more than \(maxCellCharacters) characters, Excel's limit"))
                }
                xml.start("c")
                xml.attribute("r", reference)
                xml.attribute("s", style)
                if strings != nil {
                    xml.attribute("t", "s")
                    xml.element("v", text: String(strings!.index(of: text)))
                } else {
                    xml.attribute("t", "inlineStr")
                    xml.start("is")
                    writeText(xml, text)
                    xml.end()
                }
                xml.end()
            case .number(let number):
                guard isDecimal(number) else {
                    throw XLSXError(path: "", cell: reference, reason: .invalidValue(
                        "cell \(reference) was given \"\(number)\" as a number"))
                }
                xml.start("c")
                xml.attribute("r", reference)
                xml.element("v", text: number)
                xml.end()
            }
        }
        xml.end()
    }

    /// Column widths in Excel's character units, from the longest value seen (first rows only).
    private static func columnWidths(_ sheet: XLSXSheet, columns: Int) -> [Int] {
        var widths = [Int](repeating: 10, count: columns)
        for (column, text) in sheet.header.enumerated() { widths[column] = max(widths[column], text.count) }
        for values in sheet.rows.prefix(1000) {
            for (column, value) in values.enumerated() {
                let length = switch value { case .text(let text): text.count; case .number(let text): text.count }
                widths[column] = max(widths[column], length)
            }
        }
        return widths.map { min($0, 60) + 2 }
    }

    /// `-?digits(.digits)?(E[+-]?digits)?`, the form SpreadsheetML numbers take.
    static func isDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        func digits() -> Bool {
            let count = bytes.prefix(while: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }).count
            bytes = bytes.dropFirst(count)
            return count > 0
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard digits() else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() else { return false }
        }
        if let first = bytes.first, first | 0x20 == UInt8(ascii: "e") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() else { return false }
        }
        return bytes.isEmpty
    }

    static func sharedStrings(_ table: XLSXSharedStringTable) throws -> XMLStreamWriter {
        let xml = try XMLStreamWriter()
        xml.start("sst")
        xml.attribute("xmlns", mainNamespace)
        xml.attribute("count", String(table.references))
        xml.attribute("uniqueCount", String(table.strings.count))
        for text in table.strings {
            xml.start("si")
            writeText(xml, text)
            xml.end()
        }
        xml.end()
        return xml
    }

    /// `<t>text</t>`, escaped, keeping leading and trailing white space.
    private static func writeText(_ xml: XMLStreamWriter, _ text: String) {
        xml.start("t")
        if let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
           first.properties.isWhitespace || last.properties.isWhitespace {
            xml.attribute("xml:space", "preserve")
        }
        xml.text(XLSXTextEscapes.encode(text))
        xml.end()
    }

    static func workbook(sheetNames: [String]) throws -> XMLStreamWriter {
        let xml = try XMLStreamWriter()
        xml.start("workbook")
        xml.attribute("xmlns", mainNamespace)
        xml.attribute("xmlns:r", relationshipNamespace)
        xml.start("bookViews")
        xml.empty("workbookView", ["activeTab": "0"])
        xml.end()
        xml.start("sheets")
        for (index, name) in sheetNames.enumerated() {
            xml.empty("sheet", ["name": name, "sheetId": String(index + 1), "r:id": "rId\(index + 1)"])
        }
        xml.end()
        xml.end()
        return xml
    }

    static func workbookRelationships(sheetCount: Int, sharedStrings: Bool) throws -> XMLStreamWriter {
        let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        var entries = (1...sheetCount).map { ("rId\($0)", base + "worksheet", "worksheets/sheet\($0).xml") }
        entries.append(("rId\(sheetCount + 1)", base + "styles", "styles.xml"))
        if sharedStrings { entries.append(("rId\(sheetCount + 2)", base + "sharedStrings", "sharedStrings.xml")) }
        return try relationships(entries)
    }

    static func rootRelationships() throws -> XMLStreamWriter {
        try relationships([("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                            "xl/workbook.xml")])
    }

    private static func relationships(_ entries: [(id: String, type: String, target: String)]) throws -> XMLStreamWriter {
        let xml = try XMLStreamWriter()
        xml.start("Relationships")
        xml.attribute("xmlns", packageRelationshipNamespace)
        for entry in entries {
            xml.empty("Relationship", ["Id": entry.id, "Type": entry.type, "Target": entry.target])
        }
        xml.end()
        return xml
    }

    static func contentTypes(sheetCount: Int, sharedStrings: Bool) throws -> XMLStreamWriter {
        let spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml."
        let xml = try XMLStreamWriter()
        xml.start("Types")
        xml.attribute("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types")
        xml.empty("Default", ["Extension": "rels", "ContentType": "application/vnd.openxmlformats-package.relationships+xml"])
        xml.empty("Default", ["Extension": "xml", "ContentType": "application/xml"])
        xml.empty("Override", ["PartName": "/xl/workbook.xml", "ContentType": spreadsheet + "sheet.main+xml"])
        for index in 1...sheetCount {
            xml.empty("Override", ["PartName": "/xl/worksheets/sheet\(index).xml", "ContentType": spreadsheet + "worksheet+xml"])
        }
        xml.empty("Override", ["PartName": "/xl/styles.xml", "ContentType": spreadsheet + "styles+xml"])
        if sharedStrings {
            xml.empty("Override", ["PartName": "/xl/sharedStrings.xml", "ContentType": spreadsheet + "sharedStrings+xml"])
        }
        xml.end()
        return xml
    }

    /// Fonts (regular, bold), the two fills Excel requires, and three cell formats.
    static func styles() throws -> XMLStreamWriter {
        let xml = try XMLStreamWriter()
        xml.start("styleSheet")
        xml.attribute("xmlns", mainNamespace)
        xml.start("fonts")
        xml.attribute("count", "2")
        for bold in [false, true] {
            xml.start("font")
            if bold { xml.empty("b") }
            xml.empty("sz", ["val": "11"])
            xml.empty("name", ["val": "Calibri"])
            xml.empty("family", ["val": "2"])
            xml.end()
        }
        xml.end()
        xml.start("fills")
        xml.attribute("count", "2")
        for pattern in ["none", "gray125"] {
            xml.start("fill")
            xml.empty("patternFill", ["patternType": pattern])
            xml.end()
        }
        xml.end()
        xml.start("borders")
        xml.attribute("count", "1")
        xml.start("border")
        for side in ["left", "right", "top", "bottom", "diagonal"] { xml.empty(side) }
        xml.end()
        xml.end()
        xml.start("cellStyleXfs")
        xml.attribute("count", "1")
        xml.empty("xf", ["numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0"])
        xml.end()
        xml.start("cellXfs")
        xml.attribute("count", "3")
        xml.empty("xf", ["numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0"])
        // numFmtId 49 is the built-in "@" (Text) format.
        xml.empty("xf", ["numFmtId": "49", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0",
                         "applyNumberFormat": "1"])
        xml.empty("xf", ["numFmtId": "49", "fontId": "1", "fillId": "0", "borderId": "0", "xfId": "0",
                         "applyNumberFormat": "1", "applyFont": "1"])
        xml.end()
        xml.start("cellStyles")
        xml.attribute("count", "1")
        xml.empty("cellStyle", ["name": "Normal", "xfId": "0", "builtinId": "0"])
        xml.end()
        xml.end()
        return xml
    }
}
