import Foundation
import GroupSMSXLSX
import GroupSMSTestSupport
import Testing

/// Files that are not workbooks, damaged ones, and ones built to hurt the reader.
@Suite struct XLSXHostileInputTests {
    private func write(_ bytes: [UInt8], _ name: String = "recipients.xlsx") throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    private func package(sheet: String, sharedStrings: String? = nil) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.file("recipients.xlsx")
        try TestWorkbook.write(TestWorkbook.parts(sheet: sheet, sharedStrings: sharedStrings), to: path)
        return (directory, path)
    }

    @Test func aFileOverTwelveMegabytesIsRefusedBeforeItIsOpened() throws {
        let (directory, path) = try write([0x50, 0x4B, 3, 4] + [UInt8](repeating: 0, count: 12 << 20))
        let error = XLSXTestReading.refusal(path)
        #expect(error?.reason == .fileTooLarge(bytes: Int64(12 << 20) + 4, limit: 12 << 20))
        #expect(error?.description == "\(path) is 12582916 bytes, over the 12 MB limit for a recipient file; split the numbers into several files")
        _ = directory
    }

    @Test func oleCompoundFilesAreCalledPasswordProtectedOrOldXls() throws {
        let (directory, path) = try write([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512))
        let error = XLSXTestReading.refusal(path)
        #expect(error?.reason == .passwordProtectedOrLegacy)
        #expect(error?.description.hasPrefix("\(path) is password-protected or an old .xls file; save it as a plain .xlsx workbook") == true)
        _ = directory
    }

    @Test(arguments: [Array("phone\n13112345678\n".utf8), Array("<html></html>".utf8), [0x50, 0x4B], [0xEF, 0xBB, 0xBF, 0x31]])
    func filesThatAreNotZipArchivesAreRefused(_ bytes: [UInt8]) throws {
        let (directory, path) = try write(bytes)
        #expect(XLSXTestReading.refusal(path)?.reason == .notZip)
        _ = directory
    }

    @Test func emptyMissingAndDirectoryPathsAreRefused() throws {
        let (directory, path) = try write([])
        #expect(XLSXTestReading.refusal(path)?.reason == .emptyFile)
        #expect(XLSXTestReading.refusal(directory.file("absent.xlsx"))?.reason == .cannotOpen("No such file or directory"))
        #expect(XLSXTestReading.refusal(directory.path)?.reason == .cannotOpen("not a regular file"))
        let fifo = directory.file("pipe.xlsx")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(XLSXTestReading.refusal(fifo)?.reason == .cannotOpen("not a regular file"), "refused without blocking")
    }

    @Test func aZeroByteSheetIsCalledEmptyOrDamaged() throws {
        let (directory, path) = try package(sheet: "")
        let error = XLSXTestReading.refusal(path)
        #expect(error?.reason == .emptyPart("xl/worksheets/sheet1.xml"))
        #expect(error?.description.contains("empty or damaged part xl/worksheets/sheet1.xml (0 bytes)") == true,
                "\(String(describing: error))")
        _ = directory
    }

    @Test func aTruncatedArchiveIsABrokenPackage() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("recipients.xlsx")
        let whole = try TestZipArchive(entries: TestWorkbook.parts(sheet: TestWorkbook.worksheet(""))
            .map { TestZipArchive.Entry(name: $0.name, content: Array($0.content.utf8)) }).bytes()
        try Data(whole.prefix(whole.count - 30)).write(to: URL(fileURLWithPath: path))
        let error = XLSXTestReading.refusal(path)
        #expect(error?.reason == .brokenArchive("its ZIP directory is missing; the file looks cut short"))
        #expect(error?.description.contains("open it in Excel and save it again") == true)
        _ = directory
    }

    @Test func corruptCompressedDataIsRefusedNamingThePart() throws {
        let rows = (1...20_000).map { #"<row r="\#($0)"><c r="A\#($0)" t="inlineStr"><is><t>+86131\#($0 * 7919)</t></is></c></row>"# }
        var bytes = try TestZipArchive(entries: TestWorkbook.parts(sheet: TestWorkbook.worksheet(rows.joined()))
            .map { TestZipArchive.Entry(name: $0.name, content: Array($0.content.utf8)) }).bytes()
        let sheetName = Array("xl/worksheets/sheet1.xml".utf8)
        let start = try #require(bytes.firstRange(of: sheetName)).upperBound
        for offset in stride(from: start + 200, to: start + 2000, by: 7) { bytes[offset] ^= 0x5A }
        let (directory, path) = try write(bytes)
        let error = XLSXTestReading.refusal(path)
        #expect(error?.part == "xl/worksheets/sheet1.xml")
        switch error?.reason {
        case .brokenArchive?, .malformedXML?: break
        default: Issue.record("unexpected \(String(describing: error))")
        }
        _ = directory
    }

    @Test func zipLevelEncryptionIsCalledPasswordProtected() throws {
        let entries = TestWorkbook.parts(sheet: TestWorkbook.worksheet(""))
            .map { TestZipArchive.Entry(name: $0.name, content: Array($0.content.utf8), encrypted: $0.name.hasPrefix("xl/work")) }
        let (directory, path) = try write(try TestZipArchive(entries: entries).bytes())
        #expect(XLSXTestReading.refusal(path)?.reason == .passwordProtectedOrLegacy)
        _ = directory
    }

    @Test func aDoctypeIsRefusedEvenWithoutEntities() throws {
        let sheet = #"<?xml version="1.0"?><!DOCTYPE worksheet><worksheet xmlns="\#(TestWorkbook.main)"><sheetData/></worksheet>"#
        let (directory, path) = try package(sheet: sheet)
        let error = XLSXTestReading.refusal(path)
        #expect(error?.reason == .forbiddenDTD)
        #expect(error?.part == "xl/worksheets/sheet1.xml")
        #expect(error?.description.hasPrefix("\(path): part xl/worksheets/sheet1.xml contains a DOCTYPE") == true)
        _ = directory
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        let directory = try TemporaryDirectory()
        let secret = directory.file("secret.txt")
        try "13999999999".write(toFile: secret, atomically: true, encoding: .utf8)
        let sheet = """
        <?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://\(secret)">]>\
        <worksheet xmlns="\(TestWorkbook.main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>
        """
        let path = directory.file("recipients.xlsx")
        try TestWorkbook.write(TestWorkbook.parts(sheet: sheet), to: path)
        var texts: [String] = []
        let error = #expect(throws: XLSXError.self) { try XLSXReader(path: path).readColumnA { texts.append($0.text) } }
        #expect(error?.reason == .forbiddenDTD)
        #expect(texts.isEmpty)
        #expect(error?.description.contains("13999999999") == false)
    }

    @Test func parameterEntitiesAndExternalSubsetsAreRefused() throws {
        let sheet = """
        <?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://127.0.0.1:9/evil.dtd" [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\
        <worksheet xmlns="\(TestWorkbook.main)"><sheetData/></worksheet>
        """
        let (directory, path) = try package(sheet: sheet)
        let error = XLSXTestReading.refusal(path)
        #expect(error != nil)
        #expect(error?.part == "xl/worksheets/sheet1.xml")
        _ = directory
    }

    @Test func billionLaughsIsRefusedWithoutExpanding() throws {
        var entities = #"<!ENTITY a0 "13112345678">"#
        for level in 1...10 { entities += "<!ENTITY a\(level) \"" + String(repeating: "&a\(level - 1);", count: 10) + "\">" }
        let sheet = """
        <?xml version="1.0"?><!DOCTYPE worksheet [\(entities)]><worksheet xmlns="\(TestWorkbook.main)"><sheetData>\
        <row r="1"><c r="A1" t="inlineStr"><is><t>&a10;</t></is></c></row></sheetData></worksheet>
        """
        let (directory, path) = try package(sheet: sheet)
        #expect(XLSXTestReading.refusal(path)?.reason == .forbiddenDTD)
        _ = directory
    }

    @Test func anUndeclaredEntityIsAParserError() throws {
        let sheet = TestWorkbook.worksheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>"#)
        let (directory, path) = try package(sheet: sheet)
        guard case .malformedXML(let line, let message)? = XLSXTestReading.refusal(path)?.reason else {
            Issue.record("expected malformed XML")
            return
        }
        #expect(line == 2)
        #expect(message.contains("nbsp"))
        _ = directory
    }

    @Test func malformedXMLAndRecoverableErrorsAreFatal() throws {
        let (first, broken) = try package(sheet: TestWorkbook.worksheet(#"<row r="1"><c r="A1"><v>1</v></row>"#))
        guard case .malformedXML? = XLSXTestReading.refusal(broken)?.reason else { Issue.record("mismatched tags"); return }
        // An undeclared namespace prefix is an error libxml2 would recover from.
        let (second, prefixed) = try package(sheet: TestWorkbook.worksheet(#"<row r="1"><x:c r="A1"><v>1</v></x:c></row>"#))
        guard case .malformedXML? = XLSXTestReading.refusal(prefixed)?.reason else { Issue.record("undeclared prefix"); return }
        _ = (first, second)
    }

    @Test func deepNestingIsRefusedByTheParserLimit() throws {
        let depth = 5000
        let sheet = TestWorkbook.worksheet("", before: String(repeating: "<x>", count: depth) + String(repeating: "</x>", count: depth))
        let (directory, path) = try package(sheet: sheet)
        guard case .malformedXML? = XLSXTestReading.refusal(path)?.reason else { Issue.record("deep nesting accepted"); return }
        _ = directory
    }

    @Test func aStartTagWithHugeAttributeListIsRefusedQuickly() throws {
        let attributes = (0..<40_000).map { "a\($0)=\"\"" }.joined(separator: " ")
        let sheet = TestWorkbook.worksheet(#"<row r="1" \#(attributes)><c r="A1"><v>1</v></c></row>"#)
        let (directory, path) = try package(sheet: sheet)
        #expect(XLSXTestReading.refusal(path)?.reason == .tagTooLong(256 << 10))
        _ = directory
    }

    @Test func aPartThatInflatesPastTheCapIsRefusedWhileCounting() throws {
        // The declared size says 1 KB; the data inflates to about 3 MB. The cap is lowered so the
        // test stays quick; the counting is the same whatever the cap.
        let rows = String(repeating: #"<row><c s="1"/></row>"#, count: 150_000)
        let sheet = Array(TestWorkbook.worksheet(rows).utf8)
        var entries = TestWorkbook.parts(sheet: "").filter { $0.name != "xl/worksheets/sheet1.xml" }
            .map { TestZipArchive.Entry(name: $0.name, content: Array($0.content.utf8)) }
        entries.append(TestZipArchive.Entry(name: "xl/worksheets/sheet1.xml", content: sheet, declaredSize: 1024))
        let directory = try TemporaryDirectory()
        let path = directory.file("bomb.xlsx")
        try TestZipArchive(entries: entries).write(to: path)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 < 64 << 10)
        var limits = XLSXReadLimits()
        limits.maxPartBytes = 1 << 20
        let error = XLSXTestReading.refusal(path, limits: limits)
        #expect(error?.reason == .partTooLarge(1 << 20))
        #expect(error?.part == "xl/worksheets/sheet1.xml")
        #expect(error?.description.contains("expands to more than 1 MB") == true)
    }

    @Test func anHonestlyDeclaredHugePartIsRefusedBeforeInflating() throws {
        var entries = TestWorkbook.parts(sheet: TestWorkbook.worksheet(""))
            .map { TestZipArchive.Entry(name: $0.name, content: Array($0.content.utf8)) }
        entries[3].declaredSize = 300 << 20
        let directory = try TemporaryDirectory()
        let path = directory.file("claims.xlsx")
        try TestZipArchive(entries: entries).write(to: path)
        #expect(XLSXTestReading.refusal(path)?.reason == .partTooLarge(256 << 20))
    }

    @Test func hugeSharedStringClaimsAllocateNothing() throws {
        let strings = TestWorkbook.sharedStrings(["<t>13112345678</t>"], claimedCount: 2_000_000_000)
        let (directory, path) = try package(sheet: TestWorkbook.worksheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
                                            sharedStrings: strings)
        #expect(try XLSXTestReading.cells(path).map(\.text) == ["13112345678"])
        _ = directory
    }

    @Test func sharedStringTablesPastTheirCapsAreRefused() throws {
        let many = TestWorkbook.sharedStrings(Array(repeating: nil, count: 101))
        let (first, manyPath) = try package(sheet: TestWorkbook.worksheet(""), sharedStrings: many)
        var limits = XLSXReadLimits()
        limits.maxSharedStrings = 100
        #expect(XLSXTestReading.refusal(manyPath, limits: limits)?.reason == .tooManySharedStrings(100))
        let long = TestWorkbook.sharedStrings(Array(repeating: "<t>\(String(repeating: "9", count: 100))</t>", count: 20))
        let (second, longPath) = try package(sheet: TestWorkbook.worksheet(""), sharedStrings: long)
        limits = XLSXReadLimits()
        limits.maxSharedStringBytes = 1000
        #expect(XLSXTestReading.refusal(longPath, limits: limits)?.reason == .sharedStringsTooLarge(1000))
        _ = (first, second)
    }

    @Test func tooManyArchiveEntriesAreRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("many.xlsx")
        let entries = (0..<50).map { TestZipArchive.Entry(name: "junk/\($0).bin", content: [], deflate: false) }
        try TestZipArchive(entries: entries).write(to: path)
        var limits = XLSXReadLimits()
        limits.maxParts = 20
        #expect(XLSXTestReading.refusal(path, limits: limits)?.reason == .tooManyParts(20))
    }
}
