/// The one application the simulated platform knows: its key and secret.
///
/// The simulator's own type, not the client's: it checks signatures with its own code, and
/// reads the secret only there. Printing it shows the key, never the secret.
public struct SimulatorCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The application key requests must name.
    public let appKey: String
    /// The application secret both schemes sign with.
    let appSecret: String

    /// Credentials from an application key and secret.
    public init(appKey: String, appSecret: String) {
        self.appKey = appKey
        self.appSecret = appSecret
    }

    /// The demo application of the simulated platform (`send --simulate`, tests, benchmarks).
    /// Not secret: it works nowhere else.
    public static let demo = SimulatorCredentials(appKey: "groupsmsDemoAppKey0001",
                                                  appSecret: "groupsms-demo-secret-simulator-only")

    /// The same secret under another application key.
    public func replacingAppKey(_ appKey: String) -> SimulatorCredentials {
        SimulatorCredentials(appKey: appKey, appSecret: appSecret)
    }

    /// The key, with the secret redacted.
    public var description: String { "SimulatorCredentials(appKey: \(appKey), appSecret: <redacted>)" }
}
