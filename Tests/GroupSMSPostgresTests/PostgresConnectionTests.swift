import Foundation
import Logging
import PostgresNIO
import Testing
import GroupSMSPostgres
import GroupSMSTestSupport

/// The connection layer against a real server (the tests' shared throwaway one).
@Suite struct PostgresConnectionTests {
    @Test func connectsOverTCPAndTheUnixSocketAndAnswersTheHealthCheck() async throws {
        let server = try await ThrowawayPostgres.shared()
        let database = try await server.makeDatabase()
        for url in [server.url(database: database), server.socketURL(database: database)] {
            let connection = try await PostgresStoreConnection.connect(url, password: server.password)
            try await connection.checkHealth()
            let rows = try await connection.query("SELECT current_database(), current_user")
            let (name, user) = try #require(rows.first).decode((String, String).self)
            #expect(name == database)
            #expect(user == ThrowawayPostgres.user)
            await connection.close()
        }
    }

    /// A wrong password is an authentication error that names the store and what to check, and
    /// neither the wrong password nor the right one shows in it or in any log line, down to trace.
    @Test func aWrongPasswordFailsWithoutShowingAnyPassword() async throws {
        let server = try await ThrowawayPostgres.shared()
        let log = CapturedLog()
        let wrong = PostgresPassword("Wrong-\(server.password.secretValue.prefix(6))-Guess")
        do {
            let connection = try await PostgresStoreConnection.connect(
                server.url(database: "postgres"), password: wrong, logger: log.logger(level: .trace))
            await connection.close()
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.description.contains("refused the login"), "\(error)")
            #expect(error.description.contains(server.url(database: "postgres").description))
            for secret in [wrong.secretValue, server.password.secretValue] {
                #expect(!error.description.contains(secret))
                #expect(!String(reflecting: error).contains(secret))
                #expect(!log.text.contains(secret))
            }
        }
    }

    @Test func noPasswordWhereTheServerAsksForOneSaysSo() async throws {
        let server = try await ThrowawayPostgres.shared()
        await #expect {
            try await PostgresStoreConnection.connect(server.url(database: "postgres"), password: nil)
        } throws: { error in
            "\(error)".contains("asks for a password") && "\(error)".contains("PGPASSWORD")
        }
    }

    /// Everything postgres-nio and the layer log while connecting, querying and failing a
    /// statement, at trace level, holds the password nowhere.
    @Test func tracesOfARealSessionNeverHoldThePassword() async throws {
        let server = try await ThrowawayPostgres.shared()
        let log = CapturedLog()
        let connection = try await PostgresStoreConnection.connect(
            server.url(database: try await server.makeDatabase()), password: server.password,
            logger: log.logger(level: .trace))
        try await connection.migrate()
        try await connection.query("SELECT count(*) FROM jobs")
        await #expect(throws: PostgresStoreError.self) { try await connection.query("SELECT * FROM no_such_table") }
        await connection.close()
        #expect(log.count > 0, "postgres-nio wrote no trace lines, so this test would prove nothing")
        #expect(!log.text.contains(server.password.secretValue))
    }

    @Test func aServerErrorNamesItsSQLStateAndStatement() async throws {
        let server = try await ThrowawayPostgres.shared()
        let connection = try await server.connect(database: try await server.makeDatabase())
        defer { Task { await connection.close() } }
        do {
            try await connection.query("SELECT * FROM no_such_table")
            Issue.record("a missing table was found")
        } catch {
            #expect(error.sqlState == "42P01")
            #expect(error.description.contains("no_such_table"))
        }
    }

    @Test func nothingListeningIsUnreachableWithinTheHealthTimeout() async throws {
        let port = try FreeLoopbackPort.pick()
        let url = PostgresStoreURL(user: "nobody", host: "127.0.0.1", port: port, database: "none", tlsMode: .disable)
        let started = ContinuousClock.now
        await #expect {
            try await PostgresStoreConnection.connect(url, password: PostgresPassword("Hunter2Secret"),
                                                      options: PostgresStoreOptions(healthTimeout: .seconds(2)))
        } throws: { error in
            let text = "\(error)"
            return text.contains("postgres://nobody@127.0.0.1:\(port)/none") && !text.contains("Hunter2Secret")
        }
        // Far below a wait for ever; a loaded machine may still take a while to say so.
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
