import Foundation
import GroupSMSXLSX
import GroupSMSTestSupport

/// Files and runs shared by the job command tests.
enum JobCLITestKit {
    /// Writes an XLSX with `count` distinct numbers (text cells, header "Phone") and returns its path.
    static func workbook(in directory: TemporaryDirectory, count: Int, name: String = "recipients.xlsx",
                         block: Int = 0) throws -> String {
        let path = directory.file(name)
        let numbers = (0..<count).map { "+86139" + String(format: "%02d%06d", block, $0) }
        try XLSXWriter(sheets: [XLSXSheet.textColumn(name: "Sheet1", header: "Phone", numbers)]).write(to: path)
        return path
    }

    /// The environment with the simulator's demo credentials.
    static let demoCredentials = [
        "GROUPSMS_APP_KEY": "groupsmsDemoAppKey0001",
        "GROUPSMS_APP_SECRET": "groupsms-demo-secret-simulator-only",
    ]

    /// Parses a JSON object printed on standard output.
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw JobCLITestFailure("not a JSON object: \(text.prefix(200))")
        }
        return object
    }

    /// The keys `show --json` promises (SPEC §3).
    static let showKeys: Set<String> = [
        "id", "name", "state", "scheduledAt", "startedAt", "finishedAt", "total", "accepted", "delivered", "failed",
        "deferred", "unconfirmed", "pending", "failuresByReason",
    ]
}

/// A failed precondition of a CLI test.
struct JobCLITestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
