import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to a local server, for tests that control every byte (slow clients,
/// idle connections). Its blocking socket calls run on a private dispatch queue, never on the
/// cooperative threads the server's responders need.
final class RawConnection: Sendable {
    private let descriptor: Int32
    private let queue = DispatchQueue(label: "raw-connection")

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// What a read found.
    enum Read: Equatable {
        case bytes([UInt8])
        /// The server closed the connection (end of stream or reset).
        case closed
        case timedOut
    }

    /// Connects to 127.0.0.1:`port`.
    static func open(port: Int) async throws -> RawConnection {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ReceiverTestFailure("socket: \(String(cString: strerror(errno)))") }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(UInt16(port).bigEndian)
        target.sin_addr.s_addr = inet_addr("127.0.0.1")
        let address = target
        let connection = RawConnection(descriptor: descriptor)
        let result = await connection.run {
            withUnsafePointer(to: address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result == 0 else { throw ReceiverTestFailure("connect: \(String(cString: strerror(errno)))") }
        return connection
    }

    /// Sends `bytes`; false when the server has closed the connection.
    func send(_ bytes: [UInt8]) async -> Bool {
        await run {
            var sent = 0
            while sent < bytes.count {
                let result = bytes.withUnsafeBytes {
                    Glibc.send(self.descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                }
                guard result > 0 else { return false }
                sent += result
            }
            return true
        }
    }

    func send(_ text: String) async -> Bool {
        await send(Array(text.utf8))
    }

    /// Waits up to `seconds` for bytes or the end of the connection.
    func read(within seconds: Double) async -> Read {
        await run {
            var poller = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(seconds * 1000)) > 0 else { return .timedOut }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = recv(self.descriptor, &buffer, buffer.count, 0)
            return count > 0 ? .bytes(Array(buffer[..<count])) : .closed
        }
    }

    /// Everything the server sends until it closes the connection, or nil when it is still
    /// open after `seconds`.
    func readUntilClosed(within seconds: Double) async -> [UInt8]? {
        let deadline = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        while Date() < deadline {
            switch await read(within: max(deadline.timeIntervalSinceNow, 0.01)) {
            case .bytes(let bytes): received += bytes
            case .closed: return received
            case .timedOut: return nil
            }
        }
        return nil
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
