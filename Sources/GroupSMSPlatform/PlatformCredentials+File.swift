import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A refused secret file (credentials, report token). It names the file, the line and what to
/// do, never a value read from the file.
public struct SecretFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as given.
    public var path: String
    /// The line at fault (1-based), when one is.
    public var line: Int?
    /// What is wrong and what to do.
    public var message: String

    /// An error about the file at `path`.
    public init(path: String, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { path + (line.map { ":\($0)" } ?? "") + ": " + message }
}

/// Files that hold secrets: read only when they are regular files of the user running groupsms
/// that nobody else may read (mode 0600 or 0400). A file of another user is refused even for
/// root, because whoever owns it can change the secret, or read it, behind the runner's back.
public enum SecretFile {
    /// The largest secret file read; credentials and tokens are a few lines.
    public static let maximumBytes = 64 * 1024

    /// What is wrong with a file described by `status` for a process running as `user`, or nil
    /// when it may hold a secret. `what` names the file in the message ("the credentials file").
    public static func problem(with status: stat, user: uid_t, path: String, what: String) -> String? {
        let type = status.st_mode & S_IFMT
        if type == S_IFDIR { return "is a directory, not \(what)" }
        guard type == S_IFREG else { return "\(what) must be a regular file" }
        guard status.st_uid == user else {
            return "\(what) belongs to user id \(status.st_uid), but groupsms runs as user id \(user); "
                + "a secret is read only from the running user's own files (copy it to a file you own, mode 600)"
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            return "\(what) has mode \(String(mode, radix: 8)); it must be readable by its owner only: chmod 600 \(path)"
        }
        return nil
    }

    /// The text of the secret file at `path`, checked by `problem(with:user:path:what:)` on the
    /// very file that is read (opened first, then examined), so it cannot be swapped in between.
    public static func readText(_ path: String, what: String) throws(SecretFileError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw SecretFileError(path: path, message: "cannot read \(what) (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SecretFileError(path: path, message: "cannot read \(what) (\(String(cString: strerror(errno))))")
        }
        if let problem = problem(with: status, user: geteuid(), path: path, what: what) {
            throw SecretFileError(path: path, message: problem)
        }
        var bytes = [UInt8](repeating: 0, count: maximumBytes + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else {
                throw SecretFileError(path: path, message: "cannot read \(what) (\(String(cString: strerror(errno))))")
            }
            if got == 0 { break }
            count += got
        }
        guard count <= maximumBytes else { throw SecretFileError(path: path, message: "\(what) is larger than 64 KiB") }
        guard let text = String(validating: bytes[..<count], as: UTF8.self) else {
            throw SecretFileError(path: path, message: "\(what) is not UTF-8 text")
        }
        return text
    }
}

extension PlatformCredentials {
    /// Credentials from a secret file (see `SecretFile`) of `key=value` lines, `app_key=...` and
    /// `app_secret=...`; blank lines and lines starting with `#` are ignored; LF or CRLF ends a line.
    public static func load(file path: String) throws(SecretFileError) -> PlatformCredentials {
        try parse(fileText: SecretFile.readText(path, what: "the credentials file"), path: path)
    }

    /// Credentials from the text of a credentials file read from `path` (named in errors).
    public static func parse(fileText text: String, path: String) throws(SecretFileError) -> PlatformCredentials {
        var values: [String: String] = [:]
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw SecretFileError(path: path, line: index + 1,
                                      message: "expected key=value (app_key=..., app_secret=...)")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard key == "app_key" || key == "app_secret" else {
                throw SecretFileError(path: path, line: index + 1, message: "unknown key '\(key)'; use app_key and app_secret")
            }
            values[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        guard let key = values["app_key"], !key.isEmpty, let secret = values["app_secret"], !secret.isEmpty else {
            throw SecretFileError(path: path, message: "needs both app_key= and app_secret= lines")
        }
        return PlatformCredentials(appKey: key, appSecret: secret)
    }
}
