import Hummingbird

/// Extra paths served beside a host's main responder (the daemon's `/metrics`, `/livez` and
/// `/readyz` beside the status-report receiver): asked first for every request.
public protocol HTTPSideRoutes: Sendable {
    /// The answer when `request`'s path is one of these routes; nil lets the main responder answer.
    func response(to request: Request) async -> Response?
}
