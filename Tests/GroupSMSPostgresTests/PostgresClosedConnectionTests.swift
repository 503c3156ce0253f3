import Foundation
import GroupSMSModel
import Logging
@testable import GroupSMSPostgres
import GroupSMSTestSupport
import PostgresNIO
import Testing

/// A session the server ends between two statements (what a restart does to a transaction under
/// way): the next statement must fail, not wait forever. postgres-nio 1.33 drops a statement
/// written to a channel that has just closed, and its caller would never hear back.
@Suite struct PostgresClosedConnectionTests {
    @Test("a statement on a connection the server has ended fails at once instead of waiting forever")
    func aStatementOnAnEndedSessionFails() async throws {
        let server = try await ThrowawayPostgres.shared()
        let store = try await server.connect(database: try await server.makeDatabase())
        let outcome = await FirstOutcome<String>.race(limit: .seconds(30), timeout: "no answer within 30 s") {
            do {
                return try await Self.statementAfterTheSessionEnded(store)
            } catch {
                return "\(error)"
            }
        }
        #expect(outcome == "failed: \(StatementOnClosedConnection())")
        await store.close()
    }

    @Test("a transaction whose session the server ends fails as an unreachable store, and the next one works")
    func aTransactionOnAnEndedSessionFailsAsUnreachable() async throws {
        let server = try await ThrowawayPostgres.shared()
        let store = try await server.connect(database: try await server.makeDatabase())
        do {
            try await store.withTransaction { connection in
                let pid = try await Self.backendPID(connection, store.logger)
                try await Self.end(pid, from: store, connection: connection)
                try await connection.run("SELECT 1", logger: store.logger)
            }
            Issue.record("the transaction committed on an ended session")
        } catch {
            #expect(error.description.contains("cannot reach the PostgreSQL store"), "\(error)")
        }
        // The pool may hand out the ended connection once more before it has seen it close.
        let rows = try await untilTheStoreAnswers {
            try await store.withTransaction { try await $0.run("SELECT 41 + 1", logger: store.logger).collect() }
        }
        #expect(try rows.first?.decode(Int.self) == 42)
        await store.close()
    }

    private static func statementAfterTheSessionEnded(_ store: PostgresStoreConnection) async throws -> String {
        try await store.client.withConnection { connection in
            let pid = try await backendPID(connection, store.logger)
            try await end(pid, from: store, connection: connection)
            do {
                try await connection.run("SELECT 1", logger: store.logger)
                return "the statement ran on an ended session"
            } catch let error as StatementOnClosedConnection {
                return "failed: \(error)"
            }
        }
    }

    private static func backendPID(_ connection: PostgresConnection, _ logger: Logger) async throws -> Int32 {
        let rows = try await connection.run("SELECT pg_backend_pid()", logger: logger).collect()
        return try #require(try rows.first?.decode(Int32.self))
    }

    /// Ends session `pid` from another connection of the pool, as a fast shutdown does, and waits
    /// (at most 10 s) until `connection` has seen its socket close.
    private static func end(_ pid: Int32, from store: PostgresStoreConnection, connection: PostgresConnection) async throws {
        try await store.query("SELECT pg_terminate_backend(\(pid))")
        for _ in 0..<1_000 where !connection.isClosed { try await Task.sleep(for: .milliseconds(10)) }
        try #require(connection.isClosed, "the ended session's connection did not close within 10 s")
    }
}
