import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a throwaway PostgreSQL server could not be had. A missing PostgreSQL is a failure that
/// says what to install, never a reason to skip a test.
public struct ThrowawayPostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do.
    public var message: String

    public var description: String { "throwaway PostgreSQL server: \(message)" }
}

/// PostgreSQL's server programs (`initdb`, `pg_ctl`) and how to run them: as the `postgres`
/// user when the tests run as root (the server refuses to run as root), as oneself otherwise.
struct PostgresServerTools: Sendable {
    /// The folder holding initdb and pg_ctl.
    var binDirectory: String
    /// The user id and group id to run them as, when running as root.
    var serverUser: (uid: uid_t, gid: gid_t)?

    /// Finds the newest `/usr/lib/postgresql/<version>/bin` (Debian's layout), else initdb on PATH.
    static func locate() throws -> PostgresServerTools {
        let bin = try binDirectory()
        guard geteuid() == 0 else { return PostgresServerTools(binDirectory: bin, serverUser: nil) }
        guard let entry = getpwnam("postgres") else {
            throw ThrowawayPostgresError(message: "the tests run as root and there is no `postgres` user to run the "
                                         + "server as; Debian's postgresql package creates it (apt-get install postgresql)")
        }
        return PostgresServerTools(binDirectory: bin, serverUser: (entry.pointee.pw_uid, entry.pointee.pw_gid))
    }

    private static func binDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        for version in versions {
            let bin = "\(root)/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: "\(bin)/initdb"),
               FileManager.default.isExecutableFile(atPath: "\(bin)/pg_ctl") { return bin }
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init)
        where FileManager.default.isExecutableFile(atPath: "\(folder)/initdb")
            && FileManager.default.isExecutableFile(atPath: "\(folder)/pg_ctl") {
            return folder
        }
        throw ThrowawayPostgresError(message: "PostgreSQL's server programs (initdb, pg_ctl) are not in "
                                     + "\(root)/<version>/bin nor on PATH; install Debian's postgresql package "
                                     + "(apt-get install postgresql; .ci/run and `make test` do this)")
    }

    /// Hands `path` to the server's user (when running as root), so the server may write there.
    func giveAway(_ path: String) throws {
        guard let serverUser else { return }
        guard chown(path, serverUser.uid, serverUser.gid) == 0 else {
            throw ThrowawayPostgresError(message: "cannot hand \(path) to the postgres user: \(String(cString: strerror(errno)))")
        }
    }

    /// Runs `program` (in the bin folder) with `arguments`, as the server's user when root; its
    /// output goes to `log`. Throws with the log's end when it exits non-zero.
    func run(_ program: String, _ arguments: [String], log: String) throws {
        let executable = "\(binDirectory)/\(program)"
        let argv = serverUser == nil ? [executable] + arguments : ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        try giveAway(log)
        let status = try Self.spawn(argv, output: log, wait: true)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw ThrowawayPostgresError(message: "\(program) \(arguments.first ?? "") exited with status "
                                         + "\(status): \(text.suffix(1500))")
        }
    }

    /// Starts `argv` with its output appended to `output` (nil: /dev/null); with `wait`,
    /// returns its exit status once it ends. `SpawnedProcess`, because pg_ctl's server outlives
    /// pg_ctl and must inherit none of the tests' sockets.
    @discardableResult
    static func spawn(_ argv: [String], output: String?, wait: Bool) throws -> Int32 {
        let child = try SpawnedProcess.spawn(argv, stdout: output)
        return wait ? child.wait() : 0
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago, drawn below the kernel's ephemeral
    /// range (32768 and up on Linux).
    ///
    /// Not the kernel's own pick for port 0: a server started a moment later would race every
    /// other test of the process that binds port 0, or stops a server and expects its port to
    /// refuse connections, for the same ports.
    static func freeLoopbackPort() throws -> Int {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<32_768, using: &generator)
            if canBind(port) { return port }
        }
        throw ThrowawayPostgresError(message: "found no free loopback port in 20000-32767 after 200 tries")
    }

    private static func canBind(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// Ports for tests that need an address where nothing listens yet (a daemon to start, a server that is not there).
public enum FreeLoopbackPort {
    /// A loopback port nothing listened on a moment ago, below the kernel's ephemeral range, so
    /// no other test's port-0 server can be handed it meanwhile.
    public static func pick() throws -> Int {
        try PostgresServerTools.freeLoopbackPort()
    }
}
