import Foundation
import GroupSMSHTTPServer
import GroupSMSModel
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
/// The platform sends each report once and does not look at the answer, so the receiver never
/// loses a well-formed report:
/// - every request whose body could be read is answered 200 `{"returnCode":0,"returnCodeDesc":"Success"}`;
///   only a body over 1 MiB is answered 413 (never more than 1 MiB + one read is held), any other
///   path 404, another method 405;
/// - every well-formed entry of a batch is applied even when others are malformed; malformed
///   entries (and bodies that are no report at all) are counted and kept raw in
///   `<data-dir>/reports-malformed/` (`MalformedReportArchive`); a field with a control character
///   (ESC, any C0, DEL, C1) makes its entry malformed, so nothing of it reaches the store or a terminal;
/// - when the store does not take a request's reports within `storeWait` (another process holds
///   the write lock, or any store error), they are journaled durably in `<data-dir>/reports-journal/`
///   (`StatusReportJournal`), the request is still answered 200, and the journal is applied later,
///   in order, exactly once. Only when the journal cannot be written either (disk full, or its
///   size limit reached) is the request answered 503, and logged.
/// Unknown smsMsgIds are counted, logged and held by the store, at most `heldReports` of them.
/// Connections are held to `options.connections` (idle, header and body timeouts, a cap on open
/// connections, a short shutdown grace), so a slow or idle client cannot hold the receiver.
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
    private let replayer: StatusReportReplayer
    private let journal: StatusReportJournal
    private let grace: Duration

    private init(pathToken: String?, counterBox: StatusReportReceiverCounterBox, server: HTTPServerHost,
                 intake: StatusReportIntake) {
        self.host = server.host
        self.port = server.port
        self.pathToken = pathToken
        self.counterBox = counterBox
        self.server = server
        self.replayer = intake.replayer
        self.journal = intake.journal
        self.grace = intake.options.connections.shutdownGrace
    }

    /// Starts listening on `host:port` (port 0 picks a free one) and returns once it listens.
    ///
    /// With `pathToken` nil, reports are accepted on `/reports` and `/`; with a token, only on
    /// `/reports/<token>` and every other path answers 404. A token is 16 to 128 characters of
    /// `A-Z a-z 0-9 - _` (`makePathToken()` makes one). The journal and malformed-report folders
    /// are in the store's data dir; journals left there by a receiver that stopped are applied
    /// first. `log` gets one line per notable event (unknown message ids, malformed entries,
    /// store problems), with control characters made visible; by default it goes to standard error.
    /// `operations` adds report metrics, event lines and the daemon's `/metrics`, `/livez` and
    /// `/readyz` routes, answered before the report path.
    public static func start(store: any JobStoring, host: String, port: Int, pathToken: String?,
                             options: StatusReportReceiverOptions = StatusReportReceiverOptions(),
                             operations: StatusReportReceiverOperations = StatusReportReceiverOperations(),
                             log: @escaping @Sendable (String) -> Void = StatusReportReceiver.logToStandardError)
        async throws -> StatusReportReceiver {
        if let pathToken { try validate(pathToken: pathToken) }
        guard (0...65_535).contains(port) else {
            throw StatusReportReceiverError.cannotListen(address: "\(host):\(port)", reason: "the port must be 0-65535")
        }
        let log: @Sendable (String) -> Void = { log(UntrustedText.escaped($0)) }
        let dataDirectory = store.dataDirectory.path
        let counterBox = StatusReportReceiverCounterBox()
        let journal = StatusReportJournal(dataDirectory: dataDirectory, limitBytes: options.journalLimitBytes)
        let replayer = StatusReportReplayer(store: store, journal: journal, counters: counterBox, options: options, log: log)
        let intake = StatusReportIntake(store: store, journal: journal, replayer: replayer, counters: counterBox,
                                        options: options, log: log)
        let responder = StatusReportResponder(
            intake: intake, archive: MalformedReportArchive(dataDirectory: dataDirectory, limits: options.malformed),
            clock: store.clock, pathToken: pathToken, counters: counterBox, operations: operations, log: log)
        let server: HTTPServerHost
        do {
            server = try await HTTPServerHost.start(responder: responder, host: host, port: port, limits: options.connections)
        } catch HTTPServerHostError.cannotListen(_, let reason) {
            throw StatusReportReceiverError.cannotListen(address: "\(host):\(port)", reason: reason)
        }
        await replayer.start()
        return StatusReportReceiver(pathToken: pathToken, counterBox: counterBox, server: server, intake: intake)
    }

    /// The URL to give the platform as `statusCallback`: `http://host:port/reports[/token]`.
    ///
    /// It names the listening address; when the platform reaches this machine through another
    /// name (a public address, a proxy), give it that URL with the same path instead.
    public var callbackURL: String {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "http://\(authority)" + StatusReportResponder.reportPath(token: pathToken)
    }

    /// Reports received, applied, journaled, malformed and refused so far, and what the
    /// connection limits did (for progress lines, `--wait-reports` and logs).
    public func counters() -> StatusReportReceiverCounters {
        var counters = counterBox.snapshot
        counters.connections = server.statistics()
        return counters
    }

    /// Stops listening, lets running requests finish (connections still open after the shutdown
    /// grace are closed), gives journaled reports up to the grace to be applied, and returns.
    /// What is still journaled stays in the data dir for the next receiver. Safe to call more than once.
    public func shutdown() async {
        await server.shutdown()
        await replayer.stop(within: grace)
        await journal.close()
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

/// What went wrong in the status-report receiver: it could not start, or could not write its
/// journal or malformed-report files.
public enum StatusReportReceiverError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The address could not be listened on (in use, not local, bad port).
    case cannotListen(address: String, reason: String)
    /// The secret path token is too short, too long, or has characters other than `A-Z a-z 0-9 - _`.
    case badPathToken(length: Int)
    /// A file or folder of the data dir could not be created, written or read.
    case fileFailed(path: String, action: String, reason: String)
    /// The journal file reached its size limit while the store could not take reports.
    case journalFull(path: String, limitBytes: Int)
    /// A journal line could not be read back (the file was changed by hand or damaged).
    case badJournalLine(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason):
            return "cannot receive status reports on \(address): \(reason); choose another HOST:PORT "
                + "(port 0 picks a free one)"
        case .badPathToken(let length):
            return "the status report path token (\(length) characters) must be 16-128 characters of "
                + "A-Z, a-z, 0-9, '-' and '_'; use a long random one"
        case .fileFailed(let path, let action, let reason):
            return "cannot \(action) \(path): \(reason); check the data dir's permissions and free space"
        case .journalFull(let path, let limit):
            return "the status report journal \(path) reached its \(limit >> 20) MiB limit while the store could not "
                + "take reports; make the job store writable again (another process may hold it locked)"
        case .badJournalLine(let path, let line, let reason):
            return "line \(line + 1) of the status report journal \(path) cannot be read (\(reason)); it was skipped"
        }
    }
}
