import Foundation
import PostgresNIO
import Testing
import GroupSMSPostgres
import GroupSMSTestSupport

/// A server of the test's own that goes down and comes back, as a database restart in production.
@Suite struct PostgresRestartTests {
    @Test func theSameConnectionWorksAgainAfterTheServerRestarts() async throws {
        let server = try await ThrowawayPostgres.start()
        let connection = try await server.connect(database: try await server.makeDatabase())
        try await connection.migrate()
        try await connection.query("INSERT INTO store_events(at, kind, message) VALUES (1, 'test', 'before the restart')")
        try await server.restartServer()
        let rows = try await untilTheStoreAnswers { try await connection.query("SELECT message FROM store_events") }
        #expect(try rows.map { try $0.decode(String.self) } == ["before the restart"])
        #expect(try await connection.migrate() == [])
        try await connection.checkHealth()
        await connection.close()
    }

    /// While the server is down the health check fails within its bound, saying the store cannot be
    /// reached and never showing the password; once it is back the check passes again.
    @Test func theHealthCheckFailsWhileTheServerIsDownAndPassesOnceItIsBack() async throws {
        let server = try await ThrowawayPostgres.start()
        let connection = try await server.connect(database: try await server.makeDatabase(),
                                                  options: PostgresStoreOptions(healthTimeout: .seconds(2)))
        try await server.stopServer()
        let started = ContinuousClock.now
        do {
            try await connection.checkHealth()
            Issue.record("the health check passed with the server stopped")
        } catch {
            #expect(error.description.contains("cannot reach the PostgreSQL store \(connection.url)"), "\(error)")
            #expect(!error.description.contains(server.password.secretValue))
        }
        #expect(ContinuousClock.now - started < .seconds(30), "the check waited for the stopped server")
        try await server.startServer()
        try await untilTheStoreAnswers { try await connection.checkHealth() }
        await connection.close()
    }
}
