import Foundation
import Logging
import Synchronization
import Testing
import GroupSMSOperations

/// The two log formats: JSON objects a line with the fields, and the human text lines.
@Suite struct LogLineTests {
    /// Lines written to a sink, for reading back.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var sink: LogLineSink { LogLineSink { line in self.lines.withLock { $0.append(line) } } }
    }

    @Test func aJSONLineHoldsTimeLevelEventMessageAndTheFieldsInOrder() throws {
        let lines = Lines()
        let logger = OperationsLogging.logger(format: .json, level: .debug, sink: lines.sink)
        logger.debug("number accepted", metadata: ["event": "number.accepted", "smsMsgId": "m-1", "job": "job-3",
                                                   "chunk": "7"])
        let line = try #require(lines.all.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["event"] == "number.accepted" && object["level"] == "debug" && object["message"] == "number accepted")
        #expect(object["job"] == "job-3" && object["chunk"] == "7" && object["smsMsgId"] == "m-1")
        #expect(try #require(object["time"]).hasSuffix("Z"))
        #expect(line.hasPrefix(#"{"time":"#) && line.contains(#""message":"number accepted","chunk":"7","job":"job-3""#))
    }

    @Test func controlCharactersAndQuotesCannotBreakALine() throws {
        let lines = Lines()
        let logger = OperationsLogging.logger(format: .json, sink: lines.sink)
        let hostile = "name\n{\"event\":\"forged\"}\u{1B}[31m\u{85}\u{2028}\\"
        logger.info("\(hostile)", metadata: ["event": "job.started", "name": "\(hostile)"])
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["message"] == hostile && object["name"] == hostile && object["event"] == "job.started")
    }

    @Test func secretsAreRedactedFromMessagesFieldsAndErrorsInBothFormats() throws {
        struct Failure: Error, CustomStringConvertible { var description: String }
        let redactor = LogRedactor(secrets: ["AppKey-1234", "pg-Hunter2", "abc"],
                                   redactors: [{ $0.replacingOccurrences(of: "Secret-5678", with: "<redacted>") }])
        for format in LogFormat.allCases {
            let lines = Lines()
            let logger = OperationsLogging.logger(format: format, sink: lines.sink, redactor: redactor)
            logger.error("key AppKey-1234 secret Secret-5678 password pg-Hunter2, abc stays",
                         error: Failure(description: "Secret-5678"), metadata: ["event": "x", "detail": "pg-Hunter2"])
            let text = lines.all.joined(separator: "\n")
            for secret in ["AppKey-1234", "Secret-5678", "pg-Hunter2"] { #expect(!text.contains(secret), "\(format): \(text)") }
            #expect(text.contains("<redacted>") && text.contains("abc stays"), "short texts are not secrets: \(text)")
        }
    }

    @Test func aTextLineIsTheTimestampAndTheMessageWithControlCharactersShown() throws {
        let lines = Lines()
        let logger = OperationsLogging.logger(format: .text, sink: lines.sink)
        logger.info("job-1 'a\u{1B}b' started", metadata: ["event": "job.started", "job": "job-1"])
        logger.debug("not shown at info")
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        let parts = line.split(separator: " ", maxSplits: 1)
        #expect(ISO8601DateFormatter().date(from: String(parts[0])) != nil, "\(line)")
        #expect(parts[1] == "job-1 'a\\u001bb' started", "\(line)")
    }
}
