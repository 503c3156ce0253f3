import Foundation
import GroupSMSModel

/// The rules a job's settings meet whether they come from a job file or from `send`'s options,
/// written once so both refuse the same values with the same words.
///
/// Each check returns what is wrong (nil when the value is fine); the caller adds where the
/// value came from (`--template`, or the job file's key and line).
public enum JobFileRules {
    /// The largest job file read (1 MiB). A job file holds settings and recipient paths; numbers
    /// belong in the XLSX files, so anything larger is a mistake, refused before it is read whole.
    public static let maximumFileBytes = 1 << 20
    /// Template variables per template (FAQ "Variable Specifications": at most 20 variables).
    public static let maximumParams = 20
    /// Characters per variable value: `${TXT_n}` and `${NUM_n}` take n of 1-20, `${DATE}` and
    /// `${TIME}` fewer (FAQ "Variable Specifications"; API reference, templateParas).
    public static let maximumParamLength = 20
    /// templateId holds 1-32 characters (API reference, SMS Sending API).
    public static let maximumTemplateIDLength = 32
    /// `from`, the channel number, holds 1-21 characters (API reference, SMS Sending API).
    public static let maximumFromLength = 21

    /// What is wrong with a template id, or nil.
    public static func templateIDProblem(_ value: String) -> String? {
        tokenProblem(value, maximumLength: maximumTemplateIDLength)
    }

    /// What is wrong with a channel number (`from`), or nil.
    public static func fromProblem(_ value: String) -> String? {
        tokenProblem(value, maximumLength: maximumFromLength)
    }

    /// What is wrong with a template's parameters (templateParas), or nil.
    public static func paramsProblem(_ params: [String]) -> String? {
        if params.count > maximumParams {
            return "\(params.count) parameters given; a template has at most \(maximumParams) variables"
        }
        for (index, value) in params.enumerated() {
            if value.count > maximumParamLength {
                return "parameter \(index + 1) has \(value.count) characters; a template variable holds at most "
                    + "\(maximumParamLength)"
            }
            if value.contains(where: { $0 == "{" || $0 == "}" }) {
                return "parameter \(index + 1) contains { or }, which the platform cannot put into a template"
            }
        }
        return nil
    }

    /// A value with no white space, of 1...`maximumLength` characters.
    private static func tokenProblem(_ value: String, maximumLength: Int) -> String? {
        if value.trimmingCharacters(in: .whitespaces).isEmpty { return "must not be empty" }
        if value.contains(where: \.isWhitespace) { return "must not contain spaces, got '\(value)'" }
        if value.count > maximumLength {
            return "holds at most \(maximumLength) characters, got \(value.count)"
        }
        return nil
    }
}
