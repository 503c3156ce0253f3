import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers
import GroupSMSStore

extension JobDraft {
    /// A draft whose numbers are an import's distinct valid numbers (first-seen order) and whose
    /// rejected entries are the import's invalid rows, so nothing the user gave is dropped.
    public init(name: String, settings: JobSettings, importReport report: RecipientImportReport,
                endpoint: String? = nil, scheduledAt: Date? = nil) {
        let files = report.files.map(\.path)
        let fileIndex = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.init(name: name, settings: settings, numbers: report.numbers.map { NumberDraft(e164: $0) },
                  sourceFiles: files, endpoint: endpoint, scheduledAt: scheduledAt,
                  rejected: report.invalid.map {
                      RejectedEntryDraft(fileIndex: fileIndex[$0.file], cell: $0.cell, original: $0.value,
                                         description: $0.reason)
                  })
        // Each number's own values replace the job's parameters (SPEC §7); they are stored once.
        values = report.variables
        if values != nil { self.settings.params = [] }
    }

    /// A draft for a job file: its recipients imported with its default country, checked
    /// against its `template_text` or `store`'s catalogue and estimated (`JobPreflight`), priced
    /// with the data dir's `prices.csv` when there is one.
    public static func importing(_ file: JobFile, endpoint: String?, store: any JobStoring) async throws -> JobDraft {
        let template = try await RecipientImport.template(file.templateID, inline: file.inlineTemplate, store: store)
        let report = try await RecipientImport.read(file.recipients, layout: file.layout, defaultRegion: file.defaultCountry,
                                                    templateID: file.templateID, template: template)
        var draft = JobDraft(name: file.name, settings: file.settings, importReport: report, endpoint: endpoint,
                             scheduledAt: file.at)
        draft.sendBy = file.sendBy
        let prices = try PriceTable.load(file: nil, dataDirectory: store.dataDirectory)
        return try await JobPreflight.prepare(draft, numbersByRegion: report.numbersByRegion,
                                              duplicates: report.duplicates, store: store, prices: prices,
                                              template: template)
    }
}
