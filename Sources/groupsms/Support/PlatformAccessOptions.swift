import ArgumentParser
import Foundation
import GroupSMSPlatform

/// The options that say how to reach the platform: endpoint, authentication, credentials, TLS.
struct PlatformAccessOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The API access address (default: $GROUPSMS_ENDPOINT).", valueName: "url"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Authentication scheme: wsse or aksk.", valueName: "scheme"))
    var auth: String = PlatformAuthScheme.akSk.rawValue

    @Option(help: ArgumentHelp(
        "A 0600 file with app_key=... and app_secret=... lines (default: $GROUPSMS_APP_KEY and $GROUPSMS_APP_SECRET).",
        valueName: "file"))
    var credentials: String?

    @Flag(help: "Do not check TLS certificates (test endpoints only; prints a warning).")
    var insecure = false

    func validate() throws {
        guard PlatformAuthScheme(rawValue: auth) != nil else {
            throw ValidationError("--auth must be wsse or aksk, not \(auth)")
        }
    }

    /// `--endpoint`, else `$GROUPSMS_ENDPOINT`.
    var resolvedEndpoint: String? {
        endpoint ?? ProcessInfo.processInfo.environment["GROUPSMS_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A client for `endpoint` with these credentials; prints the `--insecure` warning once.
    func makeClientFactory(credentials given: PlatformCredentials? = nil) throws -> @Sendable (String?) throws -> PlatformClient {
        let creds = try given ?? CredentialsSource.load(file: credentials)
        let scheme = PlatformAuthScheme(rawValue: auth) ?? .akSk
        let transport = PlatformTransportOptions(insecure: insecure)
        if insecure { StandardError.print(PlatformTransportOptions.insecureWarning) }
        let fallback = resolvedEndpoint
        return { endpoint in
            guard let url = endpoint ?? fallback else {
                throw CommandRefusal(description: "no endpoint: give --endpoint URL or set GROUPSMS_ENDPOINT")
            }
            return try PlatformClient(configuration: PlatformClientConfiguration(
                endpoint: url, credentials: creds, authScheme: scheme, transport: transport))
        }
    }
}
