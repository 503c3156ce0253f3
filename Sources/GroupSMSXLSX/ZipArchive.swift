internal import CZip
import Foundation

/// A ZIP package opened read-only; the one owner of libzip's `zip_t` on the reading side.
///
/// Entry names are indexed case-insensitively with `\` read as `/`, because producers disagree
/// on both and the relationships that point at parts do too.
final class ZipArchive {
    fileprivate let archive: OpaquePointer
    /// The workbook path, for error messages.
    let path: String
    fileprivate var entries: [String: (index: UInt64, name: String)] = [:]

    /// The linked libzip's version, e.g. "1.7.3".
    static var linkedVersion: String { String(cString: zip_libzip_version()) }

    /// Takes ownership of `fileDescriptor` (already checked to start like a ZIP) and reads the
    /// central directory. On failure the descriptor is closed.
    init(fileDescriptor: Int32, path: String, maxEntries: Int) throws {
        self.path = path
        var code: Int32 = 0
        guard let archive = zip_fdopen(fileDescriptor, ZIP_RDONLY, &code) else {
            close(fileDescriptor)
            throw XLSXError(path: path, reason: Self.openFailure(code))
        }
        self.archive = archive
        let count = zip_get_num_entries(archive, 0)
        guard count <= Int64(maxEntries) else {
            throw XLSXError(path: path, reason: .tooManyParts(maxEntries))
        }
        for index in 0..<UInt64(max(count, 0)) {
            guard let raw = zip_get_name(archive, index, ZIP_FL_ENC_GUESS) else { continue }
            let name = String(cString: raw)
            let key = Self.key(name)
            if entries[key] == nil { entries[key] = (index, name) }
        }
    }

    deinit { zip_discard(archive) }

    /// The lookup key for a part name: no leading `/`, `\` as `/`, lower case.
    static func key(_ name: String) -> String {
        var name = name.replacingOccurrences(of: "\\", with: "/")
        while name.hasPrefix("/") { name.removeFirst() }
        return name.lowercased()
    }

    /// Whether the package has a part with this name (compared as `key` does).
    func contains(_ partName: String) -> Bool { entries[Self.key(partName)] != nil }

    /// The name a part is stored under (which may differ in case or slashes from `partName`).
    func storedName(_ partName: String) -> String { entries[Self.key(partName)]?.name ?? partName }

    /// Opens a part for streaming; at most `maxBytes` inflated bytes will be delivered.
    func open(_ partName: String, maxBytes: Int64) throws -> ZipEntryStream {
        guard let entry = entries[Self.key(partName)] else {
            throw XLSXError(path: path, reason: .missingPart(partName))
        }
        var stat = zip_stat_t()
        zip_stat_init(&stat)
        guard zip_stat_index(archive, entry.index, 0, &stat) == 0 else {
            throw archiveError(part: partName, zip_get_error(archive))
        }
        if stat.valid & UInt64(ZIP_STAT_ENCRYPTION_METHOD) != 0, stat.encryption_method != UInt16(ZIP_EM_NONE) {
            throw XLSXError(path: path, part: partName, reason: .passwordProtectedOrLegacy)
        }
        // Refuse an honest declaration at once; a lying one is caught while counting.
        if stat.valid & UInt64(ZIP_STAT_SIZE) != 0, stat.size > UInt64(maxBytes) {
            throw XLSXError(path: path, part: partName, reason: .partTooLarge(maxBytes))
        }
        guard let file = zip_fopen_index(archive, entry.index, 0) else {
            throw archiveError(part: partName, zip_get_error(archive))
        }
        return ZipEntryStream(file: file, archive: self, part: entry.name, maxBytes: maxBytes)
    }

    fileprivate func archiveError(part: String?, _ error: UnsafeMutablePointer<zip_error_t>?) -> XLSXError {
        let code = error.map { zip_error_code_zip($0) } ?? ZIP_ER_INTERNAL
        if code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP || code == ZIP_ER_WRONGPASSWD {
            return XLSXError(path: path, part: part, reason: .passwordProtectedOrLegacy)
        }
        let message = error.map { String(cString: zip_error_strerror($0)) } ?? "unknown libzip error"
        return XLSXError(path: path, part: part, reason: .brokenArchive(message))
    }

    private static func openFailure(_ code: Int32) -> XLSXError.Reason {
        // The file starts like a ZIP (checked before), so a missing directory means it was cut short.
        if code == ZIP_ER_NOZIP { return .brokenArchive("its ZIP directory is missing; the file looks cut short") }
        return .brokenArchive(ZipErrorText.message(code))
    }
}

/// One part being inflated, counting bytes so a part can never deliver more than its cap.
final class ZipEntryStream: XMLByteSource {
    private let file: OpaquePointer
    /// Keeps the archive open while this part is read.
    private let archive: ZipArchive
    /// The part's name as stored in the package.
    let part: String
    private let maxBytes: Int64
    private(set) var bytesRead: Int64 = 0
    private(set) var failure: XLSXError?

    fileprivate init(file: OpaquePointer, archive: ZipArchive, part: String, maxBytes: Int64) {
        self.file = file
        self.archive = archive
        self.part = part
        self.maxBytes = maxBytes
    }

    deinit { zip_fclose(file) }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard failure == nil, let base = buffer.baseAddress else { return -1 }
        let count = zip_fread(file, base, UInt64(buffer.count))
        if count < 0 {
            failure = archive.archiveError(part: part, zip_file_get_error(file))
            return -1
        }
        bytesRead += count
        if bytesRead > maxBytes {
            failure = XLSXError(path: archive.path, part: part, reason: .partTooLarge(maxBytes))
            return -1
        }
        return Int(count)
    }
}

/// A ZIP package being written; the one owner of libzip's `zip_t` on the writing side.
///
/// Every part is a complete in-memory buffer handed over with `zip_source_buffer`, so libzip
/// knows each size up front and writes plain (not Zip64) headers, which Excel requires.
/// libzip writes to a temporary file and renames it on `commit`, so a failed write leaves no
/// half-written workbook behind.
final class ZipArchiveWriter {
    private let archive: OpaquePointer
    private let path: String
    private var committed = false

    /// Creates (or replaces) the package at `path`; nothing is on disk until `commit`.
    init(path: String) throws {
        self.path = path
        var code: Int32 = 0
        guard let archive = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code) else {
            throw XLSXError(path: path, reason: .writeFailed(ZipErrorText.message(code)))
        }
        self.archive = archive
    }

    deinit { if !committed { zip_discard(archive) } }

    /// Adds a deflated part holding a copy of `bytes`.
    func add(_ name: String, _ bytes: UnsafeRawBufferPointer) throws {
        let copy = malloc(max(bytes.count, 1))!
        if let base = bytes.baseAddress { copy.copyMemory(from: base, byteCount: bytes.count) }
        // With freep = 1 libzip owns `copy` from here on and frees it with the source.
        guard let source = zip_source_buffer(archive, copy, UInt64(bytes.count), 1) else {
            free(copy)
            throw failure(name)
        }
        let index = zip_file_add(archive, name, source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE)
        guard index >= 0 else {
            zip_source_free(source)
            throw failure(name)
        }
        guard zip_set_file_compression(archive, UInt64(index), ZIP_CM_DEFLATE, 6) == 0 else {
            throw failure(name)
        }
    }

    /// Writes the package to disk.
    func commit() throws {
        guard zip_close(archive) == 0 else { throw failure(nil) }
        committed = true
    }

    private func failure(_ part: String?) -> XLSXError {
        let message = String(cString: zip_error_strerror(zip_get_error(archive)))
        return XLSXError(path: path, part: part, reason: .writeFailed(message))
    }
}

/// Text for libzip's integer error codes (from `zip_open` and `zip_fdopen`).
private enum ZipErrorText {
    static func message(_ code: Int32) -> String {
        var error = zip_error_t()
        zip_error_init_with_code(&error, code)
        defer { zip_error_fini(&error) }
        return String(cString: zip_error_strerror(&error))
    }
}

/// Raw deflate streams, for tests that assemble ZIP packages byte by byte.
package enum ZipRawDeflate {
    /// `bytes` deflated as libzip deflates a workbook part: the part is written with
    /// `ZipArchiveWriter` and its compressed data read back, so no second compressor is needed.
    package static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deflate-\(UUID().uuidString).zip").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try ZipArchiveWriter(path: path)
        try bytes.withUnsafeBytes { try writer.add("entry", $0) }
        try writer.commit()
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw XLSXError(path: path, reason: .writeFailed("cannot reopen the deflated part")) }
        return try ZipArchive(fileDescriptor: descriptor, path: path, maxEntries: 1).compressedBytes(of: "entry")
    }
}

extension ZipArchive {
    /// The stored (compressed) bytes of a deflated part, unread by the inflater.
    fileprivate func compressedBytes(of partName: String) throws -> [UInt8] {
        guard let entry = entries[Self.key(partName)] else { throw XLSXError(path: path, reason: .missingPart(partName)) }
        var stat = zip_stat_t()
        zip_stat_init(&stat)
        guard zip_stat_index(archive, entry.index, 0, &stat) == 0, stat.comp_method == UInt16(ZIP_CM_DEFLATE),
              let file = zip_fopen_index(archive, entry.index, zip_flags_t(ZIP_FL_COMPRESSED)) else {
            throw archiveError(part: partName, zip_get_error(archive))
        }
        defer { zip_fclose(file) }
        var compressed = [UInt8](repeating: 0, count: Int(stat.comp_size))
        let count = compressed.withUnsafeMutableBytes { zip_fread(file, $0.baseAddress, stat.comp_size) }
        guard count == Int64(stat.comp_size) else { throw XLSXError(path: path, reason: .writeFailed("short read of deflated data")) }
        return compressed
    }
}
