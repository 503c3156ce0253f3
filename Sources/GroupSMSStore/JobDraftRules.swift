import Foundation
import GroupSMSModel

/// What both stores check on a draft before storing anything, with the same messages: the
/// rate, max-defer, the values' count, the deadline after the start, a template and a from,
/// URLs without credentials, and numbers that are E.164, distinct and from listed files.
public enum JobDraftRules {
    /// Throws `StoreError.invalidInput` naming the first rule `draft` breaks; `now` is the start
    /// of a draft without one.
    public static func check(_ draft: JobDraft, now: Date) throws {
        try checkSettings(draft, now: now)
        try checkNumbers(draft)
    }

    private static func checkSettings(_ draft: JobDraft, now: Date) throws {
        guard JobSettings.rates.contains(draft.rate) else {
            throw StoreError.invalidInput("rate \(draft.rate) is out of range: use 1 to 500 numbers per second")
        }
        guard draft.maxDefer >= 0 else { throw StoreError.invalidInput("max-defer must not be negative") }
        if let values = draft.values, values.valueSetIndices.count != draft.numbers.count {
            throw StoreError.invalidInput("the job has \(draft.numbers.count) numbers but values for "
                                          + "\(values.valueSetIndices.count); import the file again")
        }
        if let sendBy = draft.sendBy {
            let start = draft.scheduledAt ?? now
            guard sendBy > start else {
                throw StoreError.invalidInput("the send-by deadline \(StoreTime.iso(sendBy)) is not after the job's start "
                                              + "\(StoreTime.iso(start)): give a later --send-by")
            }
        }
        guard !draft.templateID.isEmpty, !draft.from.isEmpty else {
            throw StoreError.invalidInput("a job needs a template id and a from (channel number)")
        }
        for url in [draft.endpoint, draft.statusCallback].compactMap({ $0 }) {
            // Secrets never reach the database: a URL carrying user info is refused, not stored.
            if let components = URLComponents(string: url), components.user != nil || components.password != nil {
                throw StoreError.invalidInput("a URL with a user name or password cannot be stored; give credentials "
                                              + "through GROUPSMS_APP_KEY/GROUPSMS_APP_SECRET or --credentials")
            }
        }
    }

    private static func checkNumbers(_ draft: JobDraft) throws {
        var seen = Set<String>(minimumCapacity: draft.numbers.count)
        for number in draft.numbers {
            let utf8 = number.e164.utf8
            guard utf8.count > 1, utf8.count <= 21, utf8.first == UInt8(ascii: "+"),
                  utf8.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw StoreError.invalidInput("'\(number.e164)' is not an E.164 number (+ and up to 20 digits)")
            }
            guard seen.insert(number.e164).inserted else {
                throw StoreError.invalidInput("\(number.e164) appears twice in the job; deduplicate before storing")
            }
            if let index = number.fileIndex, !draft.sourceFiles.indices.contains(index) {
                throw StoreError.invalidInput("\(number.e164) refers to source file \(index), which the job does not list")
            }
        }
    }
}

extension SuppressionEntry {
    /// Why a number on the suppression list is skipped, as its failure reads.
    public var skipDescription: String {
        "on the suppression list since \(StoreTime.iso(addedAt)) (\(code))"
    }
}
