import Foundation
import GroupSMSPlatform
import PostgresNIO

/// Everything that can go wrong with a PostgreSQL job store, in terms a user can act on.
///
/// Every case names the store by its `PostgresStoreURL` description, which never holds a
/// password, and none carries a password or a URL as the user typed it (that text may hold one).
public enum PostgresStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `--store` URL is not of the form `postgres://USER@HOST:PORT/DB`; `reason` says what is wrong.
    case badURL(String)
    /// The `--store` URL holds a password.
    case passwordInURL
    /// The password file could not be used (`SecretFile`'s rules).
    case passwordFile(SecretFileError)
    /// The server could not be reached, or the connection broke.
    case unreachable(store: String, reason: String)
    /// The server refused the credentials or the authentication method.
    case authentication(store: String, reason: String)
    /// The server answered an error (`sqlState`, its message, and the statement when one ran).
    case server(store: String, sqlState: String, message: String, statement: String?)
    /// The store did not answer within `seconds`.
    case timedOut(store: String, seconds: Double, action: String)
    /// The database has schema versions this build does not know.
    case newerSchema(store: String, found: Int, supported: Int)

    public var description: String {
        switch self {
        case .badURL(let reason):
            return "the store URL cannot be used: \(reason) (it is not repeated here, in case it holds a password)"
        case .passwordInURL:
            return "the store URL holds a password, which groupsms never reads from a URL (it would show in ps, "
                + "shell history and logs); remove it from the URL and give it in PGPASSWORD or "
                + "--store-password-file FILE (mode 0600)"
        case .passwordFile(let error):
            return "the store password file cannot be used: \(error)"
        case .unreachable(let store, let reason):
            return "cannot reach the PostgreSQL store \(store): \(reason); check that the server runs and "
                + "accepts connections from this machine"
        case .authentication(let store, let reason):
            return "the PostgreSQL store \(store) refused the login: \(reason); check the user name and the "
                + "password in PGPASSWORD or --store-password-file"
        case .server(let store, let state, let message, let statement):
            let what = statement.map { " while running: \($0.prefix(200))" } ?? ""
            return "the PostgreSQL store \(store) answered \(state) (\(message))\(what)"
        case .timedOut(let store, let seconds, let action):
            return "the PostgreSQL store \(store) did not answer within \(Self.seconds(seconds)) s (\(action)); "
                + "check that the server runs and is not overloaded"
        case .newerSchema(let store, let found, let supported):
            return "the PostgreSQL store \(store) has schema version \(found) but this groupsms knows versions up "
                + "to \(supported); use a newer groupsms with this store"
        }
    }

    /// The SQLSTATE of a server error, if this is one.
    public var sqlState: String? {
        if case .server(_, let state, _, _) = self { return state }
        return nil
    }

    /// `error` (from postgres-nio or the pool) as a store error about `store`; `statement` is the
    /// SQL that ran, when one did.
    static func from(_ error: any Error, store: PostgresStoreURL, statement: String? = nil) -> PostgresStoreError {
        if let error = error as? PostgresStoreError { return error }
        if let error = error as? PostgresTransactionError {
            // The first thing that went wrong says most: the closure's error, else BEGIN's, else COMMIT's.
            let cause = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
            return cause.map { from($0, store: store, statement: statement) }
                ?? .unreachable(store: store.description, reason: "the transaction failed")
        }
        guard let error = error as? PSQLError else {
            if error is CancellationError { return .timedOut(store: store.description, seconds: 0, action: "cancelled") }
            return .unreachable(store: store.description, reason: "\(error)")
        }
        let name = store.description
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?????"
            let message = error.serverInfo?[.message] ?? "no message"
            // Class 28: invalid authorization specification (28000, 28P01 wrong password).
            if state.hasPrefix("28") { return .authentication(store: name, reason: message) }
            return .server(store: name, sqlState: state, message: message, statement: statement)
        case .authMechanismRequiresPassword:
            return .authentication(store: name, reason: "the server asks for a password and none was given")
        case .unsupportedAuthMechanism:
            return .authentication(store: name, reason: "the server asks for an authentication method groupsms "
                                   + "does not speak (use scram-sha-256 or md5 in pg_hba.conf)")
        case .saslError:
            return .authentication(store: name, reason: "SCRAM authentication failed")
        case .sslUnsupported:
            return .unreachable(store: name, reason: "the server does not offer TLS, and sslmode=require asks for it")
        case .failedToAddSSLHandler:
            return .unreachable(store: name, reason: "TLS could not be set up (\(error.underlying.map { "\($0)" } ?? "no detail"))")
        case .queryCancelled:
            return .timedOut(store: name, seconds: 0, action: "the request was cancelled")
        case .poolClosed:
            return .unreachable(store: name, reason: "this process has closed its connections to the store")
        default:
            let detail = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return .unreachable(store: name, reason: detail)
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
