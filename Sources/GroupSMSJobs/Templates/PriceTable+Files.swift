import Foundation
import GroupSMSModel
import GroupSMSStore

extension PriceTable {
    /// The data dir's price table file name, used when no `--prices FILE` is given.
    public static let dataDirectoryFileName = "prices.csv"

    /// The price table of `file`, else the data dir's `prices.csv`, else nil (no cost).
    /// A named file that cannot be read is an error; a missing `prices.csv` is not.
    public static func load(file: String?, dataDirectory: DataDirectory) throws -> PriceTable? {
        if let file { return try read(file) }
        let fallback = (dataDirectory.path as NSString).appendingPathComponent(dataDirectoryFileName)
        guard FileManager.default.fileExists(atPath: fallback) else { return nil }
        return try read(fallback)
    }

    private static func read(_ path: String) throws -> PriceTable {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PriceTableError.unreadable(file: path, reason: error.localizedDescription)
        }
        guard data.count <= maximumFileBytes else {
            throw PriceTableError.unreadable(file: path, reason: "larger than \(maximumFileBytes / 1024) KiB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PriceTableError.unreadable(file: path, reason: "not UTF-8 text")
        }
        return try PriceTable(csv: text, file: path)
    }

    /// Far more than one row per region of the world needs.
    static let maximumFileBytes = 256 * 1024
}
