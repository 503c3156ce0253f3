import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers
import GroupSMSStore

/// `groupsms suppress list|add|remove`: the data dir's suppression list.
struct SuppressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppress",
        abstract: "Show or change the suppression list: numbers no job sends to.",
        discussion: """
            Opted-out status reports (REJECTD, BLACK, MBBLACK, SC:0003/0004/0005/0013/0016) add \
            numbers automatically. Later jobs and reruns skip listed numbers and report them as \
            failed SUPPRESSED.
            """,
        subcommands: [SuppressListCommand.self, SuppressAddCommand.self, SuppressRemoveCommand.self])
}

/// `groupsms suppress list`.
struct SuppressListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the suppressed numbers.")

    @Flag(help: "Print {\"numbers\":[...]} as JSON.")
    var json = false

    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let store = try await StoreAccess.open(dataDir, clock: SystemWallClock())
            let entries = try await store.suppressionList()
            if json {
                try JSONOutput.print(SuppressionListJSON(numbers: entries.map(SuppressionEntryJSON.init)))
            } else {
                print(SuppressionListText.text(entries), terminator: "")
            }
        }
    }
}

/// `groupsms suppress add NUMBER...`.
struct SuppressAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add numbers to the suppression list.",
        discussion: "Numbers are normalised to E.164 first; if any is invalid, nothing is added.")

    @Argument(help: ArgumentHelp("Numbers, e.g. 13112345678 or +447700900123.", valueName: "number"))
    var numbers: [String]

    @Option(help: ArgumentHelp("Why they are suppressed (shown by list).", valueName: "text"))
    var reason: String = "added by hand"

    @OptionGroup var country: SuppressCountryOption
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let normalised = try country.normalise(numbers)
            let store = try await StoreAccess.open(dataDir, clock: SystemWallClock())
            let added = try await store.suppress(normalised, code: "MANUAL", reason: reason)
            var line = "Added \(added) number\(added == 1 ? "" : "s") to the suppression list."
            let already = normalised.count - added
            if already > 0 { line += " \(already) \(already == 1 ? "was" : "were") already on it." }
            print(line)
        }
    }
}

/// `groupsms suppress remove NUMBER...`.
struct SuppressRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove numbers from the suppression list.",
        discussion: "Remove an opted-out number only when the recipient has asked for messages again.")

    @Argument(help: ArgumentHelp("Numbers, e.g. 13112345678 or +447700900123.", valueName: "number"))
    var numbers: [String]

    @OptionGroup var country: SuppressCountryOption
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let normalised = try country.normalise(numbers)
            let store = try await StoreAccess.open(dataDir, clock: SystemWallClock())
            let listed = try await store.suppressionEntries(among: normalised)
            let removed = try await store.unsuppress(normalised)
            var line = "Removed \(removed) number\(removed == 1 ? "" : "s") from the suppression list."
            let absent = normalised.filter { listed[$0] == nil }
            if !absent.isEmpty { line += " Not on it: \(absent.joined(separator: ", "))." }
            print(line)
        }
    }
}

/// `--default-country` and the normalisation of typed numbers.
struct SuppressCountryOption: ParsableArguments {
    @Option(name: .customLong("default-country"), help: ArgumentHelp(
        "Region for numbers written without a country code (ISO 3166 code).", valueName: "cc"))
    var defaultCountry: String = JobSettings.defaultCountry

    func validate() throws {
        guard PhoneNumberNormalizer.supportedRegions.contains(defaultCountry.uppercased()) else {
            throw ValidationError("--default-country \(defaultCountry) is not a region code libphonenumber knows (e.g. CN, US, GB).")
        }
    }

    /// The numbers in E.164, deduplicated in order; refuses the whole list if one is invalid.
    func normalise(_ numbers: [String]) throws -> [String] {
        let normalizer = try PhoneNumberNormalizer(defaultRegion: defaultCountry.uppercased())
        var seen = Set<String>()
        var result: [String] = []
        for number in numbers {
            switch normalizer.normalize(text: number) {
            case .valid(let valid):
                if seen.insert(valid.e164).inserted { result.append(valid.e164) }
            case .rejected(let rejection):
                throw SuppressNumberRefusal(text: number, reason: rejection.message)
            }
        }
        return result
    }
}

/// A typed number that is not a valid phone number; nothing was changed.
struct SuppressNumberRefusal: Error, CustomStringConvertible {
    let text: String
    let reason: String
    var description: String { "'\(text)' is not a valid phone number (\(reason)); the suppression list was not changed" }
}
