import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers

extension JobDraft {
    /// A draft whose numbers are an import's distinct valid numbers (first-seen order) and whose
    /// rejected entries are the import's invalid rows, so nothing the user gave is dropped.
    public init(name: String, templateID: String, from: String, importReport report: RecipientImportReport,
                params: [String] = [], signature: String? = nil, endpoint: String? = nil,
                statusCallback: String? = nil, defaultCountry: String = "CN", scheduledAt: Date? = nil,
                rate: Int = 500, maxDefer: TimeInterval = 3600) {
        let files = report.files.map(\.path)
        let fileIndex = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.init(name: name, templateID: templateID, from: from,
                  numbers: report.numbers.map { NumberDraft(e164: $0) },
                  params: params, signature: signature, sourceFiles: files, endpoint: endpoint,
                  statusCallback: statusCallback, defaultCountry: defaultCountry, scheduledAt: scheduledAt,
                  rate: rate, maxDefer: maxDefer,
                  rejected: report.invalid.map {
                      RejectedEntryDraft(fileIndex: fileIndex[$0.file], cell: $0.cell, original: $0.value,
                                         description: $0.reason)
                  })
    }

    /// A draft for a job file: its recipients imported with its default country.
    public static func importing(_ file: JobFile, endpoint: String?) async throws -> JobDraft {
        let report = try await RecipientImportBuilder.importWorkbooksConcurrently(
            file.recipients, defaultRegion: file.defaultCountry)
        return JobDraft(name: file.name, templateID: file.template, from: file.from, importReport: report,
                        params: file.params, signature: file.signature, endpoint: endpoint,
                        statusCallback: file.statusCallback, defaultCountry: file.defaultCountry,
                        scheduledAt: file.at, rate: file.rate, maxDefer: file.maxDefer)
    }
}
