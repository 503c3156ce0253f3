import GroupSMSSimulator
import GroupSMSStore

/// The embedded simulator's approved templates: the local catalogue's text, registered with
/// the simulator's own parser, so `--simulate` refuses what the platform would.
enum SimulatedCatalogue {
    /// A registry of every catalogue template, or nil (accept any) when the catalogue is empty.
    static func registry(from store: any JobStoring) async throws -> SimulatedTemplateRegistry? {
        let templates = try await store.templates()
        guard !templates.isEmpty else { return nil }
        var registry = SimulatedTemplateRegistry()
        for stored in templates {
            try registry.register(entry: "\(stored.template.id)=\(stored.template.text.source)", origin: "catalogue")
        }
        return registry
    }
}
