import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers
import GroupSMSStore

/// How a job's recipient workbooks are laid out (`--variables`, job file `variables:`).
public enum RecipientLayout: String, Sendable, Hashable, CaseIterable {
    /// Column A only, as the console reads it: any other column refuses the file.
    case numbers
    /// Row 1 a header; column A the numbers, B, C, ... each row's own template values (SPEC §7).
    case columns

    /// The layout a `--variables` / `variables:` value names: only `columns` is a layout with
    /// values; nil for anything else (see `variablesProblem`).
    public init?(variablesOption value: String) {
        guard value.lowercased() == "columns" else { return nil }
        self = .columns
    }

    /// What is wrong with a `--variables` / `variables:` value, or nil when it names a layout.
    public static func variablesProblem(_ value: String) -> String? {
        guard RecipientLayout(variablesOption: value) == nil else { return nil }
        return "variables must be `columns` (row 1 a header, numbers in A, each row's values in B, C, ...), not '\(value)'"
    }
}

/// Reading a job's recipient workbooks in its layout.
public enum RecipientImport {
    /// Imports `paths` in `layout` for template `templateID`: with value columns, each row's
    /// values are checked against `template` (catalogue or `template_text`) when it is known,
    /// and the header must name one column per variable.
    public static func read(_ paths: [String], layout: RecipientLayout, defaultRegion: String, templateID: String,
                            template: MessageTemplate?) async throws -> RecipientImportReport {
        switch layout {
        case .numbers:
            return try await RecipientImportBuilder.importWorkbooksConcurrently(paths, defaultRegion: defaultRegion)
        case .columns:
            let variables = template.map(RecipientVariableColumns.init(template:))
                ?? RecipientVariableColumns(uncheckedTemplateID: templateID)
            return try await RecipientImportBuilder.importWorkbooksWithVariables(paths, variables: variables,
                                                                                 defaultRegion: defaultRegion)
        }
    }

    /// The template a job's values are checked against: the job file's own text, else the
    /// catalogue's (nil when neither knows it).
    public static func template(_ id: String, inline: MessageTemplate?, store: (any JobStoring)?) async throws -> MessageTemplate? {
        if let inline { return inline }
        return try await store?.template(id: id)?.template
    }
}
