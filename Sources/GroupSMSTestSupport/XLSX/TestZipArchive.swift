import Foundation
import GroupSMSXLSX

/// Assembles ZIP packages byte by byte so tests control what production writers never do:
/// Zip64 records, odd or duplicate entry names, and declared sizes that lie.
public struct TestZipArchive {
    /// One entry of the archive.
    public struct Entry {
        public var name: String
        /// The bytes the entry inflates to.
        public var content: [UInt8]
        /// Store deflated (through libzip's deflate) instead of stored.
        public var deflate: Bool
        /// The uncompressed size written in the headers, when it should lie.
        public var declaredSize: UInt64?
        /// Set the "encrypted" flag (traditional PKWARE encryption); the data stays as it is.
        public var encrypted: Bool

        public init(name: String, content: [UInt8], deflate: Bool = true, declaredSize: UInt64? = nil, encrypted: Bool = false) {
            self.name = name
            self.content = content
            self.deflate = deflate
            self.declaredSize = declaredSize
            self.encrypted = encrypted
        }
    }

    public var entries: [Entry]
    /// Write Zip64 extra fields in every header plus the Zip64 end-of-directory records.
    public var zip64: Bool

    public init(entries: [Entry], zip64: Bool = false) {
        self.entries = entries
        self.zip64 = zip64
    }

    /// The archive's bytes.
    public func bytes() throws -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let data = entry.deflate ? try ZipRawDeflate.compress(entry.content) : entry.content
            let crc = TestCRC32.checksum(entry.content)
            let size = entry.declaredSize ?? UInt64(entry.content.count)
            let offset = UInt64(out.count)
            let version: UInt16 = zip64 ? 45 : 20
            let method: UInt16 = entry.deflate ? 8 : 0
            let flags: UInt16 = 0x0800 | (entry.encrypted ? 1 : 0)
            // Local header.
            out.le32(0x0403_4B50); out.le16(version); out.le16(flags); out.le16(method)
            out.le16(0); out.le16(0x21); out.le32(crc)
            out.le32(zip64 ? 0xFFFF_FFFF : UInt32(data.count)); out.le32(zip64 ? 0xFFFF_FFFF : UInt32(size))
            out.le16(UInt16(name.count)); out.le16(zip64 ? 20 : 0)
            out += name
            if zip64 { out.le16(1); out.le16(16); out.le64(size); out.le64(UInt64(data.count)) }
            out += data
            // Central directory header.
            central.le32(0x0201_4B50); central.le16(version); central.le16(version); central.le16(flags)
            central.le16(method); central.le16(0); central.le16(0x21); central.le32(crc)
            central.le32(zip64 ? 0xFFFF_FFFF : UInt32(data.count)); central.le32(zip64 ? 0xFFFF_FFFF : UInt32(size))
            central.le16(UInt16(name.count)); central.le16(zip64 ? 28 : 0); central.le16(0)
            central.le16(0); central.le16(0); central.le32(0)
            central.le32(zip64 ? 0xFFFF_FFFF : UInt32(offset))
            central += name
            if zip64 { central.le16(1); central.le16(24); central.le64(size); central.le64(UInt64(data.count)); central.le64(offset) }
        }
        let centralOffset = UInt64(out.count)
        out += central
        let count = UInt64(entries.count)
        if zip64 {
            let recordOffset = UInt64(out.count)
            out.le32(0x0606_4B50); out.le64(44); out.le16(45); out.le16(45); out.le32(0); out.le32(0)
            out.le64(count); out.le64(count); out.le64(UInt64(central.count)); out.le64(centralOffset)
            out.le32(0x0706_4B50); out.le32(0); out.le64(recordOffset); out.le32(1)
        }
        out.le32(0x0605_4B50); out.le16(0); out.le16(0)
        out.le16(zip64 ? 0xFFFF : UInt16(count)); out.le16(zip64 ? 0xFFFF : UInt16(count))
        out.le32(zip64 ? 0xFFFF_FFFF : UInt32(central.count)); out.le32(zip64 ? 0xFFFF_FFFF : UInt32(centralOffset))
        out.le16(0)
        return out
    }

    /// Writes the archive to `path`.
    public func write(to path: String) throws {
        try Data(bytes()).write(to: URL(fileURLWithPath: path))
    }
}

extension [UInt8] {
    fileprivate mutating func le16(_ value: UInt16) { append(UInt8(value & 0xFF)); append(UInt8(value >> 8)) }
    fileprivate mutating func le32(_ value: UInt32) { le16(UInt16(value & 0xFFFF)); le16(UInt16(value >> 16)) }
    fileprivate mutating func le64(_ value: UInt64) { le32(UInt32(value & 0xFFFF_FFFF)); le32(UInt32(value >> 32)) }
}

/// CRC-32 as ZIP uses it.
enum TestCRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
