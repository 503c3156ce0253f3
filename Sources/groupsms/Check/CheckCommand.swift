import GroupSMSModel
import ArgumentParser
import GroupSMSPhoneNumbers
import GroupSMSJobs
import GroupSMSStore

/// `groupsms check FILE...`: read recipient workbooks and report what would be sent.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check recipient files: normalise, deduplicate and report invalid numbers.",
        discussion: """
            Numbers are read from column A of the first worksheet of each XLSX file (an optional \
            header in A1 without digits is skipped). Exit status 0 when the files can be sent, \
            even with invalid rows; 1 when a file is refused.
            """)

    @Argument(help: ArgumentHelp("XLSX recipient files (at most 50,000 numbers each).", valueName: "file"))
    var files: [String]

    @Option(name: .customLong("default-country"), help: ArgumentHelp(
        "Region for numbers written without a country code (ISO 3166 code).", valueName: "cc"))
    var defaultCountry: String = JobSettings.defaultCountry

    @Flag(help: "List every invalid entry and duplicate, not only the first 20 invalid ones.")
    var all = false

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Option(help: ArgumentHelp(
        "Also check the job's parameters and signature against this catalogue template and print its estimate.",
        valueName: "id"))
    var template: String?
    @Option(name: .customLong("param"), help: ArgumentHelp("A template parameter, in order (repeatable).", valueName: "value"))
    var params: [String] = []
    @Option(help: ArgumentHelp("The signature name (Chinese mainland templates).", valueName: "name"))
    var signature: String?
    @Option(help: ArgumentHelp(
        "`columns`: row 1 is a header, column A the numbers and B, C, ... each row's own template values (checked against --template).",
        valueName: "columns"))
    var variables: String?
    @Option(help: ArgumentHelp("Price table CSV for the estimate's cost (default: prices.csv in the data dir).",
                               valueName: "file"))
    var prices: String?

    @OptionGroup var dataDir: DataDirOption

    func validate() throws {
        guard template != nil || (params.isEmpty && signature == nil && prices == nil) else {
            throw ValidationError("--param, --signature and --prices belong to --template ID")
        }
        guard PhoneNumberNormalizer.supportedRegions.contains(defaultCountry.uppercased()) else {
            throw ValidationError("--default-country \(defaultCountry) is not a region code libphonenumber knows (e.g. CN, US, GB).")
        }
    }

    func run() async throws {
        try await refusingErrors {
            let recipients = RecipientFileList.distinct(files)
            recipients.warnings.forEach { StandardError.print("groupsms: warning: \($0)") }
            if let problem = variables.flatMap(RecipientLayout.variablesProblem) { throw CommandRefusal(description: problem) }
            let layout = variables.flatMap(RecipientLayout.init(variablesOption:)) ?? .numbers
            let store = try await StoreAccess.openExisting(dataDir)
            var catalogueTemplate: MessageTemplate?
            if let template { catalogueTemplate = try await store?.template(id: template)?.template }
            let report = try await RecipientImport.read(
                recipients.paths, layout: layout, defaultRegion: defaultCountry.uppercased(),
                templateID: template ?? "-", template: catalogueTemplate)
            var estimate: Estimate?
            if let template {
                estimate = try await estimateJob(template, catalogue: catalogueTemplate, report: report, store: store)
            }
            if json {
                try CheckJSONOutput.print(report, estimateJSON: try estimate?.jsonText())
            } else {
                print(CheckSummary(report: report, listEverything: all).text, terminator: "")
                if let estimate { print("\nEstimate for template \(UntrustedText.escaped(template ?? ""))\n\(estimate.text)") }
            }
        }
    }
}

extension CheckCommand {
    /// The `--template` check: the catalogue template's parameter and signature rules, then the
    /// estimate; a misfit throws (exit 1) before anything is printed.
    private func estimateJob(_ templateID: String, catalogue template: MessageTemplate?, report: RecipientImportReport,
                             store: (any JobStoring)?) async throws -> Estimate? {
        if template == nil {
            StandardError.print("groupsms: warning: template \(UntrustedText.escaped(templateID)) is not in the catalogue "
                                + "of \(dataDir.directory.path), so only the platform's general rules were checked")
        }
        let settings = JobSettings(templateID: templateID, from: "-", params: params, signature: signature,
                                   defaultCountry: defaultCountry.uppercased())
        let draft = JobDraft(name: "check", settings: settings, importReport: report)
        let priceTable = try PriceTable.load(file: prices, dataDirectory: dataDir.directory)
        return try await JobPreflight.prepare(draft, numbersByRegion: report.numbersByRegion,
                                              duplicates: report.duplicates, store: store, prices: priceTable,
                                              template: template).estimate
    }
}
