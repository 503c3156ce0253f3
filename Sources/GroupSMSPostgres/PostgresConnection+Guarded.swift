import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A statement was handed to a connection that had already closed (the server restarted or
/// ended the session), so it never reached the server.
struct StatementOnClosedConnection: Error, CustomStringConvertible {
    var description: String { "the connection closed before the statement could be sent" }
}

extension PostgresConnection {
    /// Runs one statement, like `query(_:logger:)`, but fails with `StatementOnClosedConnection`
    /// when the connection closes before the statement was taken.
    ///
    /// postgres-nio 1.33 hands a statement to its channel without a write promise: on a channel
    /// that closed a moment earlier (a server restart between two statements of a transaction)
    /// the statement is dropped and its caller waits forever. The connection's close is watched
    /// instead, so such a wait ends as an error the runner and the daemon already retry.
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await ClosedConnectionWatch.shared.guarded(self) { try await self.query(query, logger: logger) }
    }

    /// `copyFrom` guarded the same way as `run`: a copy started on a closed connection fails.
    func guardedCopyFrom(table: String, columns: [String], logger: Logger,
                         writeData: @escaping @Sendable (PostgresCopyFromWriter) async throws -> Void) async throws {
        try await ClosedConnectionWatch.shared.guarded(self) {
            try await self.copyFrom(table: table, columns: columns, logger: logger, writeData: writeData)
        }
    }

    /// Runs `body` between BEGIN and COMMIT (ROLLBACK when it throws), each statement guarded
    /// as `run` is. `body`'s own error leaves as thrown; a failed COMMIT leaves as its error.
    func inTransaction<Result>(logger: Logger, isolation: isolated (any Actor)? = #isolation,
                               _ body: (PostgresConnection) async throws -> sending Result) async throws -> sending Result {
        try await run("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(self)
        } catch {
            // The transaction is over either way: a closed connection rolls it back by itself.
            _ = try? await run("ROLLBACK", logger: logger)
            throw error
        }
        try await run("COMMIT", logger: logger)
        return result
    }
}

/// The statements under way on each open connection, failed together when it closes.
///
/// One close callback is registered per connection (not one per statement, which would pile up
/// on a long-lived connection): it fails every statement still waiting and forgets the connection.
final class ClosedConnectionWatch: Sendable {
    static let shared = ClosedConnectionWatch()

    private struct Waiting: Sendable {
        var fail: @Sendable (any Error) -> Void
    }

    private struct State: Sendable {
        var nextToken: UInt64 = 0
        var waiting: [ObjectIdentifier: [UInt64: Waiting]] = [:]
    }

    private let state = Mutex(State())

    /// `work`'s outcome, or `StatementOnClosedConnection` once `connection` has closed.
    func guarded<Value: Sendable>(_ connection: PostgresConnection,
                                  _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if connection.isClosed { throw StatementOnClosedConnection() }
        let once = Mutex<CheckedContinuation<Value, any Error>?>(nil)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            once.withLock { $0 = continuation }
            let finish: @Sendable (Result<Value, any Error>) -> Void = { outcome in
                once.withLock { pending in
                    pending?.resume(with: outcome)
                    pending = nil
                }
            }
            let (key, token) = watch(connection) { finish(.failure($0)) }
            // Left to finish in the background when the close wins: its statement was dropped.
            Task {
                let outcome: Result<Value, any Error>
                do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
                self.forget(key, token)
                finish(outcome)
            }
        }
    }

    private func watch(_ connection: PostgresConnection,
                       fail: @escaping @Sendable (any Error) -> Void) -> (ObjectIdentifier, UInt64) {
        let key = ObjectIdentifier(connection)
        let (token, isNew) = state.withLock { state -> (UInt64, Bool) in
            state.nextToken &+= 1
            let isNew = state.waiting[key] == nil
            state.waiting[key, default: [:]][state.nextToken] = Waiting(fail: fail)
            return (state.nextToken, isNew)
        }
        if isNew {
            // Runs at once when the connection is already closed.
            connection.closeFuture.whenComplete { [self] _ in closed(key) }
        }
        return (key, token)
    }

    private func forget(_ key: ObjectIdentifier, _ token: UInt64) {
        state.withLock { state in
            state.waiting[key]?[token] = nil
        }
    }

    private func closed(_ key: ObjectIdentifier) {
        let waiting = state.withLock { $0.waiting.removeValue(forKey: key) } ?? [:]
        for entry in waiting.values { entry.fail(StatementOnClosedConnection()) }
    }
}
