import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for appending only (`O_APPEND`, mode 0600), for the receiver's journal and its
/// malformed-report files: every write lands at the end even when two processes append.
final class AppendOnlyFile {
    let path: String
    private let descriptor: Int32
    /// The file's size when opened plus what this handle appended.
    private(set) var size: Int

    /// Opens `path`, creating it when `create` allows; `exclusive` refuses an existing file.
    init(path: String, exclusive: Bool = false) throws(StatusReportReceiverError) {
        let flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : 0)
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else { throw .fileFailed(path: path, action: "open", reason: Self.lastError()) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = Self.lastError()
            close(descriptor)
            throw .fileFailed(path: path, action: "inspect", reason: reason)
        }
        self.path = path
        self.descriptor = descriptor
        self.size = Int(status.st_size)
    }

    deinit {
        close(descriptor)
    }

    /// Takes an exclusive `flock` on the file, held until it is closed (false when another
    /// open file holds one).
    func lock() -> Bool {
        flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    /// Appends `bytes` whole; on failure the file is cut back to its size before, so it never
    /// ends in a partial record.
    func append(_ bytes: [UInt8]) throws(StatusReportReceiverError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                let reason = Self.lastError()
                _ = ftruncate(descriptor, off_t(size))
                throw .fileFailed(path: path, action: "write", reason: reason)
            }
            written += result
        }
        size += written
    }

    /// Makes what was appended durable.
    func synchronize() throws(StatusReportReceiverError) {
        guard fsync(descriptor) == 0 else { throw .fileFailed(path: path, action: "sync", reason: Self.lastError()) }
    }

    /// Makes a directory's entries (a file just created or removed) durable.
    static func synchronizeDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Creates a folder of the data dir (owner-only) when it is missing.
    static func makeFolder(_ path: String) throws(StatusReportReceiverError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .fileFailed(path: path, action: "create the folder", reason: error.localizedDescription)
        }
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// An exclusive `flock` on an existing file, held until released: a receiver holds one on its own
/// journal, so another receiver knows which journals belong to no live process.
final class FileLock {
    private let descriptor: Int32

    /// Locks `path`; nil when it cannot be opened or another open file holds the lock.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
