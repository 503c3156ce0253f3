import Foundation

/// One number of a job that did not get through, as `export-failed` lists it.
public struct FailedNumberRow: Sendable, Hashable {
    /// First-seen order within the job.
    public var position: Int
    /// E.164, or the cell text as read for an invalid entry.
    public var number: String
    /// failed, unconfirmed or not-sent.
    public var state: NumberState
    /// invalid, opted-out, retryable or unconfirmed.
    public var failureClass: FailureClass
    /// Where it failed.
    public var stage: FailureStage?
    /// The code: platform status or answer code, LOCAL_LIMIT, SUPPRESSED, EXPIRED, UNCONFIRMED...
    public var code: String
    /// The reason in words.
    public var description: String
    /// When it failed (the last change of the number).
    public var time: Date?
    /// The recipient file it came from, if known.
    public var sourceFile: String?
    /// The cell it was read from, e.g. "A17".
    public var cell: String?
    /// A personalised job's values for the number, in variable order; nil otherwise.
    public var values: [String]?

    /// A value with every field given.
    package init(position: Int, number: String, state: NumberState, failureClass: FailureClass, stage: FailureStage? = nil, code: String, description: String, time: Date? = nil, sourceFile: String? = nil, cell: String? = nil) {
        self.position = position
        self.number = number
        self.state = state
        self.failureClass = failureClass
        self.stage = stage
        self.code = code
        self.description = description
        self.time = time
        self.sourceFile = sourceFile
        self.cell = cell
    }

    /// True for the numbers a rerun sends and sheet 1 of the XLSX lists.
    public var isRetryable: Bool { failureClass == .retryable }
}

/// Everything `export-failed` writes and prints for one job.
public struct FailedNumberExport: Sendable, Hashable {
    /// The job.
    public var job: JobRecord
    /// Every failed, invalid, opted-out, unconfirmed and not-sent number, in position order.
    public var rows: [FailedNumberRow]

    /// A value with every field given.
    package init(job: JobRecord, rows: [FailedNumberRow]) {
        self.job = job
        self.rows = rows
    }

    /// A personalised job's value-column header (B1, C1, ...), so the export re-imports with
    /// `--variables columns`; nil for a job without values.
    public var variablesHeader: [String]?

    /// The retryable numbers (E.164) in position order: sheet 1 of the XLSX, what `rerun` sends.
    public var retryableNumbers: [String] { rows.filter(\.isRetryable).map(\.number) }

    /// Rows per class.
    public var countsByClass: [FailureClass: Int] {
        rows.reduce(into: [:]) { $0[$1.failureClass, default: 0] += 1 }
    }

    /// Rows per code.
    public var countsByCode: [String: Int] {
        rows.reduce(into: [:]) { $0[$1.code, default: 0] += 1 }
    }
}
