import Foundation
import GroupSMSStore
import Logging
import PostgresNIO
import GroupSMSModel

/// Settings of the connections to a PostgreSQL store.
public struct PostgresStoreOptions: Sendable {
    /// Longest wait for one TCP connection and login.
    public var connectTimeout: Duration
    /// Longest wait for the health check's `SELECT 1` (including getting a connection for it).
    public var healthTimeout: Duration
    /// Most connections this process opens.
    public var maximumConnections: Int

    /// The defaults: 5 s to connect, 3 s for a health check, at most 10 connections.
    public init(connectTimeout: Duration = .seconds(5), healthTimeout: Duration = .seconds(3), maximumConnections: Int = 10) {
        self.connectTimeout = connectTimeout
        self.healthTimeout = healthTimeout
        self.maximumConnections = maximumConnections
    }
}

/// A pool of connections to one PostgreSQL store (postgres-nio's `PostgresClient`), the layer
/// the PostgreSQL job store runs its statements through.
///
/// Connections that break (a server restart, a network cut) are replaced by new ones on the next
/// use, so a restarted server is reached again without restarting groupsms. Every error leaves as
/// a `PostgresStoreError` that names the store by its password-free URL.
///
/// ```swift
/// let store = try await PostgresStoreConnection.connect(url, password: try PostgresPassword.resolve(file: nil))
/// try await store.migrate()
/// try await store.checkHealth()
/// await store.close()
/// ```
public final class PostgresStoreConnection: StoreHealthCheck {
    /// The store, as logs and messages name it.
    public let url: PostgresStoreURL
    /// Where postgres-nio's own lines and the connection's go.
    public let logger: Logger
    /// The settings in force.
    public let options: PostgresStoreOptions
    let client: PostgresClient
    private let runner: Task<Void, Never>

    /// The password, for the direct login `checkHealth` makes to learn why the pool gets no connection.
    private let password: PostgresPassword?

    private init(url: PostgresStoreURL, password: PostgresPassword?, options: PostgresStoreOptions, logger: Logger) {
        self.url = url
        self.logger = logger
        self.options = options
        self.password = password
        client = PostgresClient(configuration: Self.poolConfiguration(url, password: password, options: options),
                                backgroundLogger: logger)
        let client = self.client
        runner = Task { await client.run() }
    }

    /// Logs in once (so a wrong address, user or password fails here with the server's reason,
    /// within `options.connectTimeout`), then opens the pool and checks that it answers.
    public static func connect(_ url: PostgresStoreURL, password: PostgresPassword?,
                               options: PostgresStoreOptions = PostgresStoreOptions(),
                               logger: Logger = Logger(label: "groupsms.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
        async throws(PostgresStoreError) -> PostgresStoreConnection {
        try await login(url, password: password, options: options, logger: logger)
        let connection = PostgresStoreConnection(url: url, password: password, options: options, logger: logger)
        do {
            try await connection.checkHealth()
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    /// Returns when the store answered `SELECT 1` within `options.healthTimeout`; throws why not.
    ///
    /// The pool keeps retrying a server it cannot log in to, so a check that got no answer logs
    /// in once itself: the error then says what the server said (refused, wrong password...)
    /// rather than only that it was silent.
    public func checkHealth() async throws(PostgresStoreError) {
        let client = self.client, logger = self.logger
        do {
            try await bounded(options.healthTimeout, action: "health check") {
                _ = try await client.withConnection { try await $0.run("SELECT 1", logger: logger).collect() }
            }
        } catch {
            guard case .timedOut = error else { throw error }
            try await Self.login(url, password: password, options: options, logger: logger)
            throw error
        }
    }

    /// Runs one statement and returns all its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws(PostgresStoreError) -> [PostgresRow] {
        do {
            let logger = self.logger
            return try await client.withConnection { try await $0.run(query, logger: logger).collect() }
        } catch {
            throw PostgresStoreError.from(error, store: url, statement: query.sql)
        }
    }

    /// Runs `body` on one connection inside BEGIN ... COMMIT (ROLLBACK when it throws).
    public func withTransaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result)
        async throws(PostgresStoreError) -> Result {
        do {
            return try await client.withConnection { connection in
                try await connection.inTransaction(logger: logger) { try await body($0) }
            }
        } catch {
            throw PostgresStoreError.from(error, store: url)
        }
    }

    /// Closes every connection and stops the pool. Later calls fail with `unreachable`.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    /// Runs `work`, giving up after `limit`: the answer is whichever comes first, so a connection
    /// that hangs (a server stopped without closing its sockets) cannot hold the caller.
    private func bounded(_ limit: Duration, action: String,
                         _ work: @escaping @Sendable () async throws -> Void) async throws(PostgresStoreError) {
        let outcome = await FirstOutcome<Result<Void, PostgresStoreError>>.race(limit: limit, timeout: .failure(
            .timedOut(store: url.description, seconds: limit.seconds, action: action))) { [url] in
            do {
                try await work()
                return .success(())
            } catch {
                return .failure(PostgresStoreError.from(error, store: url, statement: "SELECT 1"))
            }
        }
        try outcome.get()
    }
}
