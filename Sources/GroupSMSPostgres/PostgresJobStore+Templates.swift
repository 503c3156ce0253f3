import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Adds `template` to the catalogue (as `JobStore.addTemplate`); an id already there is
    /// refused unless `replace`. One conditional statement decides, so of two processes adding
    /// the same id at once exactly one succeeds (without `replace`) and the other is refused.
    public func addTemplate(_ template: MessageTemplate, replace: Bool = false) async throws {
        let now = nowMilliseconds, logger = connection.logger
        let onConflict = replace
            ? """
              DO UPDATE SET text = excluded.text, kind = excluded.kind, region = excluded.region,
                  signature = excluded.signature, name = excluded.name, added_at = excluded.added_at
              """
            : "DO NOTHING"
        let query: PostgresQuery = """
            INSERT INTO templates(id, text, kind, region, signature, name, added_at)
            VALUES (\(template.id), \(template.text.source), \(template.kind.rawValue), \(template.region.rawValue),
                \(template.signature?.value), \(template.name), \(now))
            ON CONFLICT (id) \(unescaped: onConflict) RETURNING id
            """
        let stored = try await transaction { connection in
            try await connection.run(query, logger: logger).collect().count
        }
        guard stored == 1 else {
            throw StoreError.invalidInput("template \(template.id) is already in the catalogue; give --replace to "
                                          + "overwrite it, or `groupsms template remove \(template.id)` first")
        }
    }

    /// Every catalogue template, ordered by id (byte order, as SQLite's).
    public func templates() async throws -> [StoredTemplate] {
        let logger = connection.logger
        return try await transaction { connection in
            try await connection.run(PostgresQuery(unsafeSQL: "\(Self.templateSelect) ORDER BY id COLLATE \"C\""),
                                       logger: logger).collect().map(Self.storedTemplate)
        }
    }

    /// The catalogue template with `id`, or nil when the catalogue does not hold it.
    public func template(id: String) async throws -> StoredTemplate? {
        var binds = PostgresBindings()
        binds.append(id)
        let query = PostgresQuery(unsafeSQL: "\(Self.templateSelect) WHERE id = $1", binds: binds)
        let logger = connection.logger
        return try await transaction { connection in
            try await connection.run(query, logger: logger).collect().first.map(Self.storedTemplate)
        }
    }

    /// Removes the template with `id`; false when the catalogue did not hold it. Jobs keep
    /// their stored estimate.
    @discardableResult
    public func removeTemplate(id: String) async throws -> Bool {
        let logger = connection.logger
        return try await transaction { connection in
            try await connection.run("DELETE FROM templates WHERE id = \(id) RETURNING id", logger: logger)
                .collect().count > 0
        }
    }

    private static let templateSelect = "SELECT id, text, kind, region, signature, name, added_at FROM templates"

    /// A row of the catalogue; a row no build of this version could have written is refused with
    /// the id (as on SQLite), not skipped, so a damaged catalogue is never silently ignored.
    private static func storedTemplate(_ row: PostgresRow) throws -> StoredTemplate {
        let (id, text, kind, region, signature, name, addedAt) =
            try row.decode((String, String, String, String, String?, String?, Int64).self)
        do {
            let template = try MessageTemplate(
                id: id, text: text, kind: TemplateKind(argument: kind), region: MessageRegion(argument: region),
                signature: try signature.map { text throws(TemplateError) in try SignatureName(text) }, name: name)
            return StoredTemplate(template: template, addedAt: StoreTime.date(addedAt))
        } catch {
            throw StoreError.invalidInput("catalogue template \(id) cannot be read (\(error)); "
                                          + "remove it with `groupsms template remove \(id)` and add it again")
        }
    }
}
