import Foundation
import GroupSMSPlatform

/// The password of a PostgreSQL store's role, kept out of every printed form.
///
/// It comes from a secret file (`--store-password-file`: a regular file of the running user,
/// mode 0600 or 0400, the password on one line) or from `PGPASSWORD`, never from the URL.
/// Interpolating, printing or dumping the value shows `<password>`; only the connection and the
/// log redaction list (`secretValue`) see the text.
public struct PostgresPassword: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// The password itself: for the server login and for the list of texts logs must never show.
    public let secretValue: String

    /// A password given as text.
    public init(_ value: String) {
        secretValue = value
    }

    public var description: String { "<password>" }
    public var debugDescription: String { "<password>" }
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// The password for a store: the file's when `file` is given, else `PGPASSWORD` when it is set
    /// and not empty, else nil (the server then needs no password, e.g. peer authentication).
    public static func resolve(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(PostgresStoreError) -> PostgresPassword? {
        if let file {
            let text: String
            do {
                text = try SecretFile.readText(file, what: "the store password file")
            } catch {
                throw .passwordFile(error)
            }
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
                .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
            let filled = lines.filter { !$0.isEmpty }
            guard filled.count == 1 else {
                throw .passwordFile(SecretFileError(path: file, message: "the store password file must hold the "
                                                    + "password on one line (it has \(filled.count) non-empty lines)"))
            }
            return PostgresPassword(filled[0])
        }
        if let value = environment["PGPASSWORD"], !value.isEmpty { return PostgresPassword(value) }
        return nil
    }
}
