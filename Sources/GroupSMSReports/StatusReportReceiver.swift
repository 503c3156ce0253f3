import Foundation
import GroupSMSHTTPServer
import GroupSMSStore
import Hummingbird

/// The HTTP endpoint the platform pushes status reports to (SPEC §2, §4): single form reports
/// and batch JSON reports, stored and applied as they arrive through the job store's group commit.
///
/// ```swift
/// let receiver = try await StatusReportReceiver.start(store: store, host: "127.0.0.1", port: 0,
///                                                     pathToken: StatusReportReceiver.makePathToken())
/// // send with statusCallback = receiver.callbackURL ... then
/// await receiver.shutdown()
/// ```
/// Answers: 200 `{"returnCode":0,"returnCodeDesc":"Success"}` whenever the body parsed (unknown
/// smsMsgIds included: counted, logged and held by the store); 400 for a malformed body; 413 for
/// a body over 1 MiB (never more than 1 MiB + one read is held); 404 for any other path; 405 for
/// another method; 503 when the store cannot take the reports (logged; the platform retries).
///
/// The platform does not authenticate its reports, so anyone who can reach the port can post
/// one. A secret `pathToken` makes the receiver answer only on `/reports/<token>`: give that URL
/// to the platform and nobody who does not know it can change a job's delivery state.
public final class StatusReportReceiver: Sendable {
    /// The address listened on.
    public let host: String
    /// The port listened on (the one picked when asked for 0).
    public let port: Int
    /// The secret path segment, if any.
    private let pathToken: String?
    private let counterBox: StatusReportReceiverCounterBox
    private let server: HTTPServerHost

    private init(pathToken: String?, counterBox: StatusReportReceiverCounterBox, server: HTTPServerHost) {
        self.host = server.host
        self.port = server.port
        self.pathToken = pathToken
        self.counterBox = counterBox
        self.server = server
    }

    /// Starts listening on `host:port` (port 0 picks a free one) and returns once it listens.
    ///
    /// With `pathToken` nil, reports are accepted on `/reports` and `/`; with a token, only on
    /// `/reports/<token>` and every other path answers 404. A token is 16 to 128 characters of
    /// `A-Z a-z 0-9 - _` (`makePathToken()` makes one). `log` gets one line per notable event
    /// (unknown message ids, refused bodies, store errors); by default it goes to standard error.
    public static func start(store: JobStore, host: String, port: Int, pathToken: String?,
                             log: @escaping @Sendable (String) -> Void = StatusReportReceiver.logToStandardError)
        async throws -> StatusReportReceiver {
        if let pathToken { try validate(pathToken: pathToken) }
        guard (0...65_535).contains(port) else {
            throw StatusReportReceiverError.cannotListen(address: "\(host):\(port)", reason: "the port must be 0-65535")
        }
        let counterBox = StatusReportReceiverCounterBox()
        let responder = StatusReportResponder(store: store, pathToken: pathToken, counters: counterBox, log: log)
        do {
            let server = try await HTTPServerHost.start(responder: responder, host: host, port: port)
            return StatusReportReceiver(pathToken: pathToken, counterBox: counterBox, server: server)
        } catch HTTPServerHostError.cannotListen(_, let reason) {
            throw StatusReportReceiverError.cannotListen(address: "\(host):\(port)", reason: reason)
        }
    }

    /// The URL to give the platform as `statusCallback`: `http://host:port/reports[/token]`.
    ///
    /// It names the listening address; when the platform reaches this machine through another
    /// name (a public address, a proxy), give it that URL with the same path instead.
    public var callbackURL: String {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "http://\(authority)" + StatusReportResponder.reportPath(token: pathToken)
    }

    /// Reports received, applied, unknown and refused so far (for progress lines and `--wait-reports`).
    public func counters() -> StatusReportReceiverCounters {
        counterBox.snapshot
    }

    /// Stops listening, lets running requests finish, and returns when the server is down.
    /// Safe to call more than once.
    public func shutdown() async {
        await server.shutdown()
    }

    /// A fresh random path token: 32 characters of `A-Z a-z 0-9` (about 190 bits).
    public static func makePathToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    /// Refuses tokens that are short enough to guess or that would need escaping in a URL.
    public static func validate(pathToken: String) throws(StatusReportReceiverError) {
        let allowed = pathToken.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        guard allowed, (16...128).contains(pathToken.utf8.count) else {
            throw .badPathToken(length: pathToken.utf8.count)
        }
    }

    /// The default log: `groupsms: status reports: <line>` on standard error.
    public static let logToStandardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data("groupsms: status reports: \(line)\n".utf8))
    }
}

/// Why the status-report receiver could not start.
public enum StatusReportReceiverError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The address could not be listened on (in use, not local, bad port).
    case cannotListen(address: String, reason: String)
    /// The secret path token is too short, too long, or has characters other than `A-Z a-z 0-9 - _`.
    case badPathToken(length: Int)

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason):
            return "cannot receive status reports on \(address): \(reason); choose another HOST:PORT "
                + "(port 0 picks a free one)"
        case .badPathToken(let length):
            return "the status report path token (\(length) characters) must be 16-128 characters of "
                + "A-Z, a-z, 0-9, '-' and '_'; use a long random one"
        }
    }
}
