import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers
import GroupSMSJobs
import GroupSMSStore

extension SendCommand {
    /// The recipient files' layout (`--variables`).
    func layout() -> RecipientLayout {
        variables.flatMap(RecipientLayout.init(variablesOption:)) ?? .numbers
    }

    /// The job's settings as the options give them; the preflight may fill in the signature.
    func settings(start: Date?, maxDefer: TimeInterval) -> JobSettings {
        JobSettings(templateID: template, from: from, params: params, signature: signature, rate: rate,
                    statusCallback: statusCallback ?? (start == nil ? nil : reports.callbackURL),
                    defaultCountry: defaultCountry.uppercased(), maxDefer: maxDefer,
                    sendWindow: sendWindow ?? .regionDefaults)
    }

    /// The checked draft with its estimate, refused (nothing stored, nothing sent) when a
    /// parameter or the signature does not fit the catalogue template.
    /// `catalogue` is the catalogue's template, already read for the import.
    func prepare(_ report: RecipientImportReport, start: Date?, maxDefer: TimeInterval,
                 store: (any JobStoring)?, catalogue: MessageTemplate?) async throws -> JobDraft {
        var draft = JobDraft(name: name ?? Self.defaultName(files), settings: settings(start: start, maxDefer: maxDefer),
                             importReport: report, scheduledAt: start)
        draft.sendBy = sendBy
        let priceTable = try PriceTable.load(file: prices, dataDirectory: dataDir.directory)
        return try await JobPreflight.prepare(draft, numbersByRegion: report.numbersByRegion,
                                              duplicates: report.duplicates, store: store, prices: priceTable,
                                              template: catalogue)
    }

    /// `--dry-run`: the estimate on standard output; no job, no request. The data dir's store
    /// is read (catalogue, suppression list) only when it exists, so a dry run creates nothing.
    func printDryRun(_ report: RecipientImportReport, maxDefer: TimeInterval, store: (any JobStoring)?,
                     catalogue: MessageTemplate?) async throws {
        let draft = try await prepare(report, start: at, maxDefer: maxDefer, store: store, catalogue: catalogue)
        guard let estimate = draft.estimate else { return }
        if let warning = try draft.sendWindowForecast(start: at ?? Date()).warning {
            StandardError.print("groupsms: warning: \(warning)")
        }
        if json {
            print(try estimate.jsonText())
        } else {
            print(estimate.text)
            print("Dry run: nothing was sent or stored.")
        }
    }
}

/// How a real run shows its estimate before anything is sent: on standard output, or on
/// standard error when standard output carries the `--json` object.
enum EstimateOutput {
    /// Prints `estimate` (when there is one) ahead of the run.
    static func printBeforeRun(_ estimate: Estimate?, json: Bool) {
        guard let estimate else { return }
        let block = "Estimate\n" + estimate.text(indentedBy: "  ")
        if json {
            StandardError.print(block)
        } else {
            print(block + "\n")
            // Before the progress line on standard error, also when standard output is a pipe.
            fflush(nil)
        }
    }
}
