/// Reading recipient workbooks: the first stage of the data path (file → cells → numbers).
extension RecipientImportBuilder {
    /// Reads column A of the first worksheet of the XLSX file at `path` into the import.
    ///
    /// Throws `XLSXError` when the workbook is refused (not a workbook, hostile, content outside
    /// column A) and `PhoneNumberError` when a count rule refuses the file.
    public mutating func addWorkbook(at path: String) throws {
        let reader = try XLSXReader(path: path)
        try beginFile(path)
        try reader.readColumnA { cell in
            try add(cell: cell.reference, value: RecipientCellValue(cell))
        }
        try endFile()
    }

    /// Imports every workbook in `paths`, in order, and returns the report.
    public static func importWorkbooks(_ paths: [String], defaultRegion: String = "CN") throws -> RecipientImportReport {
        var builder = try RecipientImportBuilder(defaultRegion: defaultRegion)
        for path in paths {
            try builder.addWorkbook(at: path)
        }
        return try builder.finish()
    }
}

extension RecipientCellValue {
    /// The value of a worksheet cell as the number layer sees it: text cells as text, numeric
    /// cells with their exact stored decimal text.
    public init(_ cell: XLSXCell) {
        switch cell.kind {
        case .sharedString, .inlineString, .formulaString: self = .text(cell.text)
        case .number: self = .number(cell.text)
        case .boolean: self = .boolean(cell.text)
        case .error: self = .error(cell.text)
        case .date: self = .date(cell.text)
        }
    }
}
