import Foundation
import GroupSMSXLSX
import GroupSMSTestSupport
import Testing

/// The reader over ../shared/corpus/realworld: 140 workbooks from other readers' test suites.
///
/// Expected outcomes come from .tools/corpus_oracle.py, an independent Python reading of the same
/// rules, stored in Fixtures/XLSX/corpus-expectations.tsv: the number of column-A cells and a
/// digest of their references and texts, or the first cell outside column A that must be named.
@Suite struct XLSXCorpusTests {
    /// The corpus folder: `<repo>/../shared/corpus/realworld` (a stage package sits one level deeper).
    static let folder: String? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<2 { directory.deleteLastPathComponent() }  // GroupSMSXLSXTests, Tests
        for _ in 0..<3 {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent("shared/corpus/realworld").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }()

    @Test(.enabled(if: folder != nil, "../shared/corpus/realworld is absent: corpus not checked"))
    func everyWorkbookReadsOrIsRefusedClearly() throws {
        let folder = try #require(Self.folder)
        let expectations = try Self.expectations()
        let files = FileManager.default.enumerator(atPath: folder)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".xlsx") }.sorted()
        #expect(files.count >= 100, "the corpus should hold about 140 workbooks")
        let clock = ContinuousClock()
        for file in files {
            let path = folder + "/" + file
            var cells: [XLSXCell] = []
            var refusal: XLSXError?
            let elapsed = clock.measure {
                do {
                    try XLSXReader(path: path).readColumnA { cells.append($0) }
                } catch {
                    refusal = error as? XLSXError
                    #expect(refusal != nil, "\(file): not an XLSXError: \(error)")
                }
            }
            #expect(elapsed < .seconds(1), "\(file) took \(elapsed)")
            if let refusal {
                #expect(refusal.description.hasPrefix(path), "\(file): \(refusal)")
            }
            guard let expected = expectations[file] else {
                Issue.record("\(file) has no expectation; rerun .tools/corpus_oracle.py")
                continue
            }
            switch expected.first {
            case "ok":
                #expect(refusal == nil, "\(file) refused: \(refusal.map(String.init(describing:)) ?? "")")
                #expect(String(cells.count) == expected[1], "\(file) cell count")
                #expect(Self.digest(cells) == expected[2], "\(file) cell texts differ from the reference")
            case "refused" where expected[1] == "-":
                #expect(refusal != nil && refusal?.cell == nil, "\(file) should be refused as a whole")
            default:
                #expect(refusal?.cell == expected[1], "\(file) should name \(expected[1]): \(String(describing: refusal))")
                #expect(refusal?.description.contains("cell \(expected[1]) ") == true)
            }
        }
    }

    private static func expectations() throws -> [String: [String]] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/XLSX/corpus-expectations", withExtension: "tsv"))
        var table: [String: [String]] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            table[fields[0]] = Array(fields.dropFirst())
        }
        return table
    }

    /// FNV-1a 64 over "A1=text\n" lines, as the oracle computes it.
    private static func digest(_ cells: [XLSXCell]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in cells.map({ "\($0.reference)=\($0.text)\n" }).joined().utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
