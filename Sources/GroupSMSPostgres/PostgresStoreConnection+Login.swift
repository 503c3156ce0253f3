import Foundation
import GroupSMSModel
import Logging
import NIOSSL
import PostgresNIO

extension PostgresStoreConnection {
    /// One login outside the pool, closed at once: throws what the server or the network said,
    /// within `options.connectTimeout` and a second.
    static func login(_ url: PostgresStoreURL, password: PostgresPassword?, options: PostgresStoreOptions,
                      logger: Logger) async throws(PostgresStoreError) {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try connectionConfiguration(url, password: password, options: options)
        } catch {
            throw .unreachable(store: url.description, reason: "TLS could not be set up (\(error))")
        }
        let limit = options.connectTimeout + .seconds(1)
        let outcome = await FirstOutcome<Result<Void, PostgresStoreError>>.race(
            limit: limit, timeout: .failure(.timedOut(store: url.description, seconds: limit.seconds, action: "login"))) {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                try? await connection.close()
                return .success(())
            } catch {
                return .failure(PostgresStoreError.from(error, store: url))
            }
        }
        try outcome.get()
    }

    /// The pool's settings for `url`.
    static func poolConfiguration(_ url: PostgresStoreURL, password: PostgresPassword?,
                                  options: PostgresStoreOptions) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socket = url.unixSocketPath {
            configuration = .init(unixSocketPath: socket, username: url.user, password: password?.secretValue,
                                  database: url.database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch url.tlsMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(.makeClientConfiguration())
            case .require: tls = .require(.makeClientConfiguration())
            }
            configuration = .init(host: url.host, port: url.port, username: url.user, password: password?.secretValue,
                                  database: url.database, tls: tls)
        }
        configuration.options.connectTimeout = options.connectTimeout
        configuration.options.maximumConnections = options.maximumConnections
        // A process stopped mid-transaction (SIGSTOP, a frozen VM) would hold its row locks, and
        // with them every take-over of its job, for as long as it sleeps: the server ends such
        // a session after 10 s idle in a transaction (ours never pause that long between statements).
        configuration.options.additionalStartupParameters = [
            ("application_name", "groupsms"), ("idle_in_transaction_session_timeout", "10s"),
        ]
        return configuration
    }

    /// The single connection's settings for `url` (the same as the pool's).
    private static func connectionConfiguration(_ url: PostgresStoreURL, password: PostgresPassword?,
                                                options: PostgresStoreOptions) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socket = url.unixSocketPath {
            configuration = .init(unixSocketPath: socket, username: url.user, password: password?.secretValue,
                                  database: url.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch url.tlsMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: url.host, port: url.port, username: url.user, password: password?.secretValue,
                                  database: url.database, tls: tls)
        }
        configuration.options.connectTimeout = TimeAmount.nanoseconds(Int64(options.connectTimeout.seconds * 1e9))
        // A process stopped mid-transaction (SIGSTOP, a frozen VM) would hold its row locks, and
        // with them every take-over of its job, for as long as it sleeps: the server ends such
        // a session after 10 s idle in a transaction (ours never pause that long between statements).
        configuration.options.additionalStartupParameters = [
            ("application_name", "groupsms"), ("idle_in_transaction_session_timeout", "10s"),
        ]
        return configuration
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
