import Foundation

/// Where a PostgreSQL job store is: `postgres://USER@HOST:PORT/DB` (or `postgresql://`), never
/// with a password.
///
/// A password in the URL would show in `ps`, shell history, unit files and every log line that
/// names the store, so a URL holding one is refused (`PostgresStoreError.passwordInURL`) without
/// repeating it; the password comes from `PGPASSWORD` or a 0600 file (`PostgresPassword`).
/// A host that starts with `/` (percent-encoded, `%2Frun%2Fpostgresql`) is the directory of the
/// server's unix socket. The one query parameter is `sslmode`: `disable`, `prefer` (the default:
/// TLS when the server offers it) or `require`; whenever TLS is used the server's certificate and
/// host name are verified.
public struct PostgresStoreURL: Sendable, Hashable, CustomStringConvertible {
    /// How the connection uses TLS.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Never TLS (loopback, unix sockets).
        case disable
        /// TLS when the server offers it, with a verified certificate; plain text otherwise.
        case prefer
        /// TLS with a verified certificate, or no connection.
        case require
    }

    /// The role to connect as.
    public var user: String
    /// The server's host name or address, or the directory of its unix socket.
    public var host: String
    /// The server's port (5432 unless given); it also names the unix socket's file.
    public var port: Int
    /// The database.
    public var database: String
    /// TLS use.
    public var tlsMode: TLSMode

    /// A URL from its parts.
    public init(user: String, host: String, port: Int = 5432, database: String, tlsMode: TLSMode = .prefer) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tlsMode = tlsMode
    }

    /// Whether `host` names a unix socket directory rather than a network host.
    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// The unix socket's path, when `host` is its directory (`<dir>/.s.PGSQL.<port>`).
    public var unixSocketPath: String? {
        isUnixSocket ? (host as NSString).appendingPathComponent(".s.PGSQL.\(port)") : nil
    }

    /// The URL as logs and messages show it; it never holds a password.
    public var description: String {
        let encodedHost = isUnixSocket
            ? host.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? host
            : (host.contains(":") ? "[\(host)]" : host)
        let mode = tlsMode == .prefer ? "" : "?sslmode=\(tlsMode.rawValue)"
        return "postgres://\(Self.encoded(user))@\(encodedHost):\(port)/\(Self.encoded(database))\(mode)"
    }

    /// Reads `text`. Errors never quote `text`: it may hold a password.
    public static func parse(_ text: String) throws(PostgresStoreError) -> PostgresStoreURL {
        guard let scheme = text.range(of: "://"),
              ["postgres", "postgresql"].contains(text[..<scheme.lowerBound].lowercased()) else {
            throw .badURL("it must start with postgres:// (postgres://USER@HOST:PORT/DB)")
        }
        let rest = text[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") {
            throw .passwordInURL
        }
        guard let components = URLComponents(string: text) else {
            throw .badURL("it is not a URL of the form postgres://USER@HOST:PORT/DB")
        }
        guard components.password == nil else { throw .passwordInURL }
        guard let user = components.user, !user.isEmpty else {
            throw .badURL("it names no user; give postgres://USER@HOST:PORT/DB")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .badURL("it names no host; give postgres://USER@HOST:PORT/DB")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw .badURL("the port must be 1-65535") }
        let database = String(components.path.dropFirst())
        guard !database.isEmpty, !database.contains("/") else {
            throw .badURL("it names no database; give postgres://USER@HOST:PORT/DB")
        }
        let mode = try tlsMode(components.queryItems ?? [])
        let plainHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return PostgresStoreURL(user: user, host: plainHost, port: port, database: database, tlsMode: mode)
    }

    private static func tlsMode(_ items: [URLQueryItem]) throws(PostgresStoreError) -> TLSMode {
        var mode = TLSMode.prefer
        for item in items {
            if item.name == "password" { throw .passwordInURL }
            guard item.name == "sslmode" else {
                throw .badURL("unknown parameter '\(item.name)'; the only one is sslmode=disable|prefer|require")
            }
            guard let value = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw .badURL("sslmode must be disable, prefer or require")
            }
            mode = value
        }
        return mode
    }

    private static func encoded(_ part: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return part.addingPercentEncoding(withAllowedCharacters: allowed) ?? part
    }
}
