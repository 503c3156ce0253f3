import Foundation
import GroupSMSModel

/// A template of the local catalogue with the time it was added.
public struct StoredTemplate: Sendable, Hashable {
    /// The template.
    public var template: MessageTemplate
    /// When `groupsms template add` stored it.
    public var addedAt: Date

    /// A catalogue entry.
    public init(template: MessageTemplate, addedAt: Date) {
        self.template = template
        self.addedAt = addedAt
    }
}

extension JobStore {
    /// Adds `template` to the catalogue; an id already there is refused unless `replace`.
    public func addTemplate(_ template: MessageTemplate, replace: Bool = false) throws {
        try connection.transaction {
            let exists = try connection.scalarInt("SELECT count(*) FROM templates WHERE id = ?", [.text(template.id)]) ?? 0
            if exists > 0, !replace {
                throw StoreError.invalidInput("template \(template.id) is already in the catalogue; give --replace to "
                                              + "overwrite it, or `groupsms template remove \(template.id)` first")
            }
            _ = try connection.execute("""
                INSERT OR REPLACE INTO templates(id, text, kind, region, signature, name, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(template.id), .text(template.text.source), .text(template.kind.rawValue),
                      .text(template.region.rawValue), .string(template.signature?.value), .string(template.name),
                      .integer(nowMilliseconds)])
        }
    }

    /// Every catalogue template, ordered by id.
    public func templates() throws -> [StoredTemplate] {
        try connection.query("\(Self.templateSelect) ORDER BY id", [], Self.storedTemplate)
    }

    /// The catalogue template with `id`, or nil when the catalogue does not hold it.
    public func template(id: String) throws -> StoredTemplate? {
        try connection.queryFirst("\(Self.templateSelect) WHERE id = ?", [.text(id)], Self.storedTemplate)
    }

    /// Removes the template with `id`; false when the catalogue did not hold it. Jobs keep
    /// their stored estimate.
    @discardableResult
    public func removeTemplate(id: String) throws -> Bool {
        try connection.execute("DELETE FROM templates WHERE id = ?", [.text(id)]) > 0
    }

    /// The estimate `job` was created with, if one was given.
    public func estimate(of job: JobID) throws -> Estimate? {
        guard let text = try connection.scalarText("SELECT estimate FROM job_estimates WHERE job_id = ?",
                                                   [.integer(job.rawValue)]) else { return nil }
        do {
            return try JSONDecoder().decode(Estimate.self, from: Data(text.utf8))
        } catch {
            throw StoreError.invalidInput("the stored estimate of job \(job) cannot be read: \(error)")
        }
    }

    /// Writes the draft's estimate inside the job's own transaction (see `insertJob`).
    func insertEstimate(_ estimate: Estimate?, job: JobID) throws {
        guard let estimate else { return }
        _ = try connection.execute("INSERT INTO job_estimates(job_id, estimate) VALUES (?, ?)",
                                   [.integer(job.rawValue), .text(try estimate.jsonText())])
    }

    private static let templateSelect = "SELECT id, text, kind, region, signature, name, added_at FROM templates"

    /// A row of the catalogue; a row no build of this version could have written is refused with
    /// the id, not skipped, so a damaged catalogue is never silently ignored.
    private static func storedTemplate(_ row: SQLiteRow) throws -> StoredTemplate {
        let id = row.text(0)
        do {
            let signature = try row.optionalText(4).map { text throws(TemplateError) in try SignatureName(text) }
            let template = try MessageTemplate(
                id: id, text: row.text(1), kind: TemplateKind(argument: row.text(2)),
                region: MessageRegion(argument: row.text(3)), signature: signature, name: row.optionalText(5))
            return StoredTemplate(template: template, addedAt: row.date(6))
        } catch {
            throw StoreError.invalidInput("catalogue template \(id) cannot be read (\(error)); "
                                          + "remove it with `groupsms template remove \(id)` and add it again")
        }
    }
}
