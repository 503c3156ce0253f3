import GroupSMSModel
import ArgumentParser
import GroupSMSPhoneNumbers
import GroupSMSJobs

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

    @OptionGroup var dataDir: DataDirOption

    func validate() throws {
        guard PhoneNumberNormalizer.supportedRegions.contains(defaultCountry.uppercased()) else {
            throw ValidationError("--default-country \(defaultCountry) is not a region code libphonenumber knows (e.g. CN, US, GB).")
        }
    }

    func run() async throws {
        try await refusingErrors {
            let recipients = RecipientFileList.distinct(files)
            recipients.warnings.forEach { StandardError.print("groupsms: warning: \($0)") }
            let report = try await RecipientImportBuilder.importWorkbooksConcurrently(
                recipients.paths, defaultRegion: defaultCountry.uppercased())
            if json {
                try CheckJSONOutput.print(report)
            } else {
                print(CheckSummary(report: report, listEverything: all).text, terminator: "")
            }
        }
    }
}
