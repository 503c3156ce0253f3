import Foundation
import GroupSMSXLSX
import GroupSMSPhoneNumbers
import GroupSMSTestSupport
import Testing

/// Reading several files with the next one started early gives what reading them one by one
/// gives: the same events in the same order, and a refusal only after the files before it.
@Suite struct XLSXMultiFileReadTests {
    private enum Event: Equatable {
        case cell(file: Int, XLSXCell)
        case end(Int)
    }

    /// Every event of `paths`, then the error that stopped the read, if any.
    private func read(_ paths: [String]) async -> (events: [Event], error: (any Error)?) {
        var events: [Event] = []
        do {
            try await XLSXReader.readColumnABytes(paths: paths) { event in
                switch event {
                case .cell(let file, let cell): events.append(.cell(file: file, cell.cell))
                case .endOfFile(let file): events.append(.end(file))
                }
            }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    /// What reading each file alone with `XLSXReader` gives, up to the first refusal.
    private func oneByOne(_ paths: [String]) -> (events: [Event], error: XLSXError?) {
        var events: [Event] = []
        for (file, path) in paths.enumerated() {
            do {
                try XLSXReader(path: path).readColumnA { events.append(.cell(file: file, $0)) }
            } catch {
                return (events, error as? XLSXError)
            }
            events.append(.end(file))
        }
        return (events, nil)
    }

    private func workbook(_ directory: TemporaryDirectory, _ name: String, rows: Int, first: Int,
                          storage: XLSXStringStorage = .shared) throws -> String {
        let path = directory.file(name)
        let values = (0..<rows).map { [XLSXValue.text(String(13_100_000_000 + first + $0))] }
        try XLSXWriter(sheets: [XLSXSheet(name: "Numbers", header: ["Phone"], rows: values)], stringStorage: storage)
            .write(to: path)
        return path
    }

    @Test func filesArriveWholeAndInOrder() async throws {
        let directory = try TemporaryDirectory()
        let paths = try (0..<4).map { try workbook(directory, "f\($0).xlsx", rows: 20_000 + $0, first: $0 * 100_000,
                                                   storage: $0 % 2 == 0 ? .shared : .inline) }
        let result = await read(paths)
        let failed = result.error != nil
        #expect(!failed)
        let expected = oneByOne(paths).events
        #expect(result.events == expected)
        let count = result.events.count
        #expect(count == 4 * 20_001 + 6 + 4)
    }

    @Test("a file that cannot be read is refused after every event of the files before it")
    func refusalsKeepReadingOrder() async throws {
        let directory = try TemporaryDirectory()
        let good = try workbook(directory, "good.xlsx", rows: 5_000, first: 0)
        let notZip = directory.file("notzip.xlsx")
        try Data("phone\n13112345678\n".utf8).write(to: URL(fileURLWithPath: notZip))
        let outside = directory.file("outside.xlsx")
        try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(
            #"<row r="1"><c r="A1"><v>13112345678</v></c><c r="B1"><v>1</v></c></row>"#)), to: outside)
        for paths in [[good, notZip, good], [good, good, outside, good], [notZip, good]] {
            let result = await read(paths)
            let expected = oneByOne(paths)
            #expect(result.events == expected.events)
            let error = result.error as? XLSXError
            #expect(error == expected.error)
            #expect(expected.error != nil)
        }
    }

    @Test func anErrorFromTheCallerStopsEveryScan() async throws {
        struct Stop: Error {}
        let directory = try TemporaryDirectory()
        let paths = try (0..<3).map { try workbook(directory, "f\($0).xlsx", rows: 10_000, first: $0 * 100_000) }
        var seen = 0
        await #expect(throws: Stop.self) {
            try await XLSXReader.readColumnABytes(paths: paths) { event in
                guard case .cell(let file, _) = event, file == 1 else { return }
                seen += 1
                if seen == 3 { throw Stop() }
            }
        }
        #expect(seen == 3)
    }

    @Test func importingSeveralFilesMatchesImportingThemOneByOne() async throws {
        let directory = try TemporaryDirectory()
        let paths = try (0..<3).map { try workbook(directory, "f\($0).xlsx", rows: 8_000, first: $0 * 4_000) }
        var builder = try RecipientImportBuilder()
        for path in paths { try builder.addWorkbook(at: path) }
        let expected = try builder.finish()
        let report = try await RecipientImportBuilder.importWorkbooksConcurrently(paths)
        #expect(report == expected)
        #expect(report.duplicates == 2 * 4_000)
    }
}
