import Foundation
import GroupSMSXLSX
import GroupSMSTestSupport
import Testing

/// `check --json` streams its document; whatever its size it is one JSON object of the spec's shape.
@Suite struct CheckJSONTests {
    @Test("check --json on 200,000 rows (4 files of 50,000) parses as one object with the spec's keys")
    func largeOutputIsOneObject() throws {
        let directory = try TemporaryDirectory(prefix: "check-json-200k")
        let files = try (0..<4).map { file in
            let path = directory.file("recipients\(file).xlsx")
            let rows = (0..<50_000).map { row -> [XLSXValue] in
                let number = "1" + ["31", "39", "86", "58"][file] + String(10_000_000 + row * 37 % 90_000_000)
                return [row % 500 == 7 ? .text("not a number \(row)") : .text(number)]
            }
            try XLSXWriter(sheets: [XLSXSheet(name: "Numbers", header: ["Phone"], rows: rows)]).write(to: path)
            return path
        }
        let run = try CommandLineRunner.run(["check", "--json"] + files)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["files", "valid", "duplicates", "invalid", "numbers", "warnings", "duplicateEntries",
                                     "numbersByRegion"])
        let numbers = try #require(object["numbers"] as? [String])
        let invalid = try #require(object["invalid"] as? [[String: String]])
        #expect(numbers.count == object["valid"] as? Int)
        #expect(invalid.count == 4 * 100)
        #expect(numbers.count + invalid.count + (object["duplicates"] as? Int ?? -1) == 200_000)
        let summaries = try #require(object["files"] as? [[String: Any]])
        #expect(summaries.map { $0["rows"] as? Int } == [50_000, 50_000, 50_000, 50_000])
        #expect(Set(summaries[0].keys) == ["path", "rows", "valid", "invalid", "duplicates"])
        #expect(Set(invalid[0].keys) == ["file", "cell", "value", "reason"])
    }
}
