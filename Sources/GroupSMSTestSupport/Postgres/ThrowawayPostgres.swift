import Foundation
import GroupSMSPostgres
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL server of the tests' own: `initdb` into a temporary folder, started on a free
/// loopback port with its unix socket in that folder, stopped and removed at the end.
///
/// ```swift
/// let server = try await ThrowawayPostgres.shared()
/// let store = try await server.connect(database: try await server.makeDatabase())
/// ```
/// `shared()` gives every test of the process the same server (each test makes its own
/// database), so CI pays for one initdb; tests that stop or restart the server `start()` their
/// own. Logins use scram-sha-256 with a random password, so the password path is the real one.
/// When the tests run as root the server runs as the `postgres` user. The server is removed when
/// the instance is released, at process exit, and, should the process be killed, by a watchdog
/// that outlives it by at most a second. A machine without PostgreSQL fails with what to install.
public final class ThrowawayPostgres: Sendable {
    /// The role every test connects as (the server's superuser).
    public static let user = "groupsms_test"
    /// The loopback port the server listens on.
    public let port: Int
    /// The role's password.
    public let password: PostgresPassword
    /// The temporary folder (data, socket, logs).
    public let folder: String
    let tools: PostgresServerTools

    var dataDirectory: String { folder + "/data" }
    /// The folder of the server's unix socket.
    public var socketDirectory: String { folder + "/socket" }

    private init(port: Int, password: PostgresPassword, folder: String, tools: PostgresServerTools) {
        self.port = port
        self.password = password
        self.folder = folder
        self.tools = tools
    }

    /// The server shared by the tests of this process, started by the first caller.
    public static func shared() async throws -> ThrowawayPostgres {
        let task = sharedTask.withLock { task in
            if let task { return task }
            let started = Task {
                let server = try await start()
                sharedServer.withLock { $0 = server }
                atexit { ThrowawayPostgres.sharedServer.withLock { $0 }?.removeNow() }
                return server
            }
            task = started
            return started
        }
        return try await task.value
    }

    private static let sharedTask = Mutex<Task<ThrowawayPostgres, any Error>?>(nil)
    private static let sharedServer = Mutex<ThrowawayPostgres?>(nil)

    /// A new server of the caller's own, ready for connections.
    public static func start() async throws -> ThrowawayPostgres {
        let tools = try PostgresServerTools.locate()
        let server = try await offCooperativePool { try create(tools: tools) }
        do {
            try await server.startServer()
        } catch {
            server.removeNow()
            throw error
        }
        return server
    }

    /// initdb into a fresh folder, and the watchdog that removes it once this process is gone.
    private static func create(tools: PostgresServerTools) throws -> ThrowawayPostgres {
        var template = Array("/tmp/groupsms-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ThrowawayPostgresError(message: "cannot make a temporary folder: \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: made)
        let password = PostgresPassword(randomText(24))
        let server = ThrowawayPostgres(port: try PostgresServerTools.freeLoopbackPort(), password: password,
                                       folder: folder, tools: tools)
        try tools.giveAway(folder)
        try FileManager.default.createDirectory(atPath: server.socketDirectory, withIntermediateDirectories: false)
        try tools.giveAway(server.socketDirectory)
        let passwordFile = folder + "/password"
        _ = FileManager.default.createFile(atPath: passwordFile, contents: Data(password.secretValue.utf8),
                                       attributes: [.posixPermissions: 0o600])
        try tools.giveAway(passwordFile)
        server.startWatchdog()
        try tools.run("initdb", ["-D", server.dataDirectory, "-U", user, "--pwfile=\(passwordFile)",
                                 "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
                      log: folder + "/initdb.log")
        try? FileManager.default.removeItem(atPath: passwordFile)
        return server
    }

    /// The URL of `database` on this server (TCP on loopback, no TLS).
    public func url(database: String) -> PostgresStoreURL {
        PostgresStoreURL(user: Self.user, host: "127.0.0.1", port: port, database: database, tlsMode: .disable)
    }

    /// The URL of `database` through the server's unix socket.
    public func socketURL(database: String) -> PostgresStoreURL {
        PostgresStoreURL(user: Self.user, host: socketDirectory, port: port, database: database, tlsMode: .disable)
    }

    /// Opens a connection to `database` with the server's password, through the unix socket
    /// (the tests' many connections then take no TCP ports; the TCP path has its own test).
    /// The health check waits 10 s, not the product's 3 s: a test process runs hundreds of
    /// tests on 2 cores, and a slow first answer there is load, not a fault under test.
    public func connect(database: String,
                        options: PostgresStoreOptions = PostgresStoreOptions(healthTimeout: .seconds(10))) async throws
        -> PostgresStoreConnection {
        try await PostgresStoreConnection.connect(socketURL(database: database), password: password, options: options)
    }

    /// Creates a new, empty database and returns its name.
    public func makeDatabase() async throws -> String {
        let name = "t_" + Self.randomText(12).lowercased()
        let admin = try await connect(database: "postgres")
        do {
            try await admin.query(.init(unsafeSQL: "CREATE DATABASE \(name)"))
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        return name
    }

    private static func randomText(_ count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    deinit {
        removeNow()
    }
}
