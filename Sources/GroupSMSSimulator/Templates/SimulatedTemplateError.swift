/// Why the simulated platform refused to register a template (`--template ID=TEXT`, a file of
/// such lines). The real platform refuses such templates at review; the simulator refuses them
/// at start so a test cannot run against a template that could not exist.
public enum SimulatedTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An entry without `=` between id and text.
    case missingSeparator(origin: String)
    /// An id that is empty, longer than 32 characters or holds white space.
    case invalidID(origin: String, id: String)
    /// The same id registered twice.
    case duplicateID(origin: String, id: String)
    /// A text the platform would not have approved.
    case invalidText(origin: String, id: String, reason: String)

    /// The entry's origin (option or file and line) and what to fix.
    public var description: String {
        switch self {
        case .missingSeparator(let origin):
            "\(origin): expected ID=TEXT"
        case .invalidID(let origin, let id):
            "\(origin): template id \"\(id)\" must be 1 to 32 characters without spaces"
        case .duplicateID(let origin, let id):
            "\(origin): template id \(id) is registered twice"
        case .invalidText(let origin, let id, let reason):
            "\(origin): template \(id): \(reason)"
        }
    }
}
