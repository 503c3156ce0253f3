import Foundation

/// Where `XLSXWriter` puts cell text.
public enum XLSXStringStorage: Sendable, Equatable {
    /// In each cell (`t="inlineStr"`), as openpyxl, Gnumeric and XlsxWriter's constant-memory
    /// mode write: one pass for readers, nothing held in memory while writing. The default.
    case inline
    /// In a shared-strings table, each distinct text once, as Excel itself saves.
    case shared
}

/// A value for one cell written by `XLSXWriter`.
public enum XLSXValue: Sendable, Equatable, Hashable {
    /// Text, stored as a text cell (`@` format) so Excel keeps leading `+` and `0`.
    case text(String)
    /// A number given as its exact decimal text, e.g. `8613112345678` or `1.3112345678E10`.
    case number(String)
}

/// One worksheet for `XLSXWriter`: an optional bold header row, then rows of values.
public struct XLSXSheet: Sendable, Equatable {
    /// The tab name (at most 31 characters, none of `[ ] : * ? / \`).
    public var name: String
    /// Header cells for row 1; empty for no header.
    public var header: [String]
    /// The rows after the header; a row may be shorter than others, empty text leaves a cell empty.
    public var rows: [[XLSXValue]]

    /// Creates a sheet.
    public init(name: String, header: [String] = [], rows: [[XLSXValue]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }

    /// A sheet with `values` as text cells in column A, under an optional header in A1: the shape
    /// the platform (and `XLSXReader`) expects of a recipient file.
    public static func textColumn(name: String, header: String? = nil, _ values: [String]) -> XLSXSheet {
        XLSXSheet(name: name, header: header.map { [$0] } ?? [], rows: values.map { [.text($0)] })
    }
}

/// Writes .xlsx workbooks that Excel, LibreOffice and `XLSXReader` open.
///
/// ```swift
/// try XLSXWriter(sheets: [
///     .textColumn(name: "Numbers", ["+8613112345678", "+447700900123"]),
///     XLSXSheet(name: "Details", header: ["number", "code"], rows: [[.text("+8613112345678"), .text("E200041")]]),
/// ]).write(to: "failed.xlsx")
/// ```
/// Text cells use the `@` (Text) number format, columns are formatted as Text too, and Excel's
/// "number stored as text" warning is switched off for the written range. Characters XML cannot
/// hold are written as `_xHHHH_`. Each part is built in memory and added with a known size, so
/// the package has no Zip64 headers; the file appears only once complete.
public struct XLSXWriter: Sendable {
    /// The sheets, in tab order; the first is the one recipient readers use.
    public var sheets: [XLSXSheet]
    /// Where cell text goes.
    public var stringStorage: XLSXStringStorage

    /// Creates a writer for `sheets`.
    public init(sheets: [XLSXSheet], stringStorage: XLSXStringStorage = .inline) {
        self.sheets = sheets
        self.stringStorage = stringStorage
    }

    /// Writes the workbook to `path`, replacing any file there.
    public func write(to path: String) throws {
        do {
            try validate()
            let shared = stringStorage == .shared
            var strings: XLSXSharedStringTable? = shared ? XLSXSharedStringTable() : nil
            let archive = try ZipArchiveWriter(path: path)
            // [Content_Types].xml first, as Excel writes it: some readers sniff the first entry.
            try XLSXWriterParts.contentTypes(sheetCount: sheets.count, sharedStrings: shared).withBytes {
                try archive.add("[Content_Types].xml", $0)
            }
            for (index, sheet) in sheets.enumerated() {
                let part = try XLSXWriterParts.worksheet(sheet, selected: index == 0, strings: &strings)
                try part.withBytes { try archive.add("xl/worksheets/sheet\(index + 1).xml", $0) }
            }
            let names = sheets.map(\.name)
            try XLSXWriterParts.rootRelationships().withBytes { try archive.add("_rels/.rels", $0) }
            try XLSXWriterParts.workbook(sheetNames: names).withBytes { try archive.add("xl/workbook.xml", $0) }
            try XLSXWriterParts.workbookRelationships(sheetCount: sheets.count, sharedStrings: shared).withBytes {
                try archive.add("xl/_rels/workbook.xml.rels", $0)
            }
            try XLSXWriterParts.styles().withBytes { try archive.add("xl/styles.xml", $0) }
            if let strings {
                try XLSXWriterParts.sharedStrings(strings).withBytes { try archive.add("xl/sharedStrings.xml", $0) }
            }
            try archive.commit()
        } catch let error as XLSXError where error.path.isEmpty {
            throw XLSXError(path: path, part: error.part, cell: error.cell, reason: error.reason)
        }
    }

    private func validate() throws {
        guard !sheets.isEmpty else { throw XLSXError(path: "", reason: .invalidValue("a workbook needs at least one sheet")) }
        var seen = Set<String>()
        for sheet in sheets {
            try Self.validateName(sheet.name)
            guard seen.insert(sheet.name.lowercased()).inserted else {
                throw XLSXError(path: "", reason: .invalidSheetName(name: sheet.name, why: "two sheets have this name"))
            }
            let rowCount = sheet.rows.count + (sheet.header.isEmpty ? 0 : 1)
            guard rowCount <= XLSXCellReference.maxRow else {
                throw XLSXError(path: "", reason: .invalidValue("sheet \"\(sheet.name)\" has more than \(XLSXCellReference.maxRow) rows"))
            }
            let widest = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0)
            guard widest <= XLSXCellReference.maxColumn else {
                throw XLSXError(path: "", reason: .invalidValue("sheet \"\(sheet.name)\" has more than \(XLSXCellReference.maxColumn) columns"))
            }
        }
    }

    private static func validateName(_ name: String) throws {
        let why: String?
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            why = "it is blank"
        } else if name.utf16.count > 31 {
            why = "it is longer than 31 characters"
        } else if let bad = name.first(where: { "[]:*?/\\".contains($0) }) {
            why = "it contains \"\(bad)\""
        } else if name.hasPrefix("'") || name.hasSuffix("'") {
            why = "it starts or ends with an apostrophe"
        } else if name.caseInsensitiveCompare("History") == .orderedSame {
            why = "Excel reserves it"
        } else {
            why = nil
        }
        if let why { throw XLSXError(path: "", reason: .invalidSheetName(name: name, why: why)) }
    }
}

/// The shared-strings table being built: each distinct text once, in first-use order.
struct XLSXSharedStringTable {
    private(set) var strings: [String] = []
    private var indexes: [String: Int] = [:]
    /// Cells that refer to the table (Excel's `count`).
    private(set) var references = 0

    /// The index of `text`, adding it if new.
    mutating func index(of text: String) -> Int {
        references += 1
        if let index = indexes[text] { return index }
        strings.append(text)
        indexes[text] = strings.count - 1
        return strings.count - 1
    }
}
