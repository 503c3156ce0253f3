import Foundation

/// A chunk's row id.
public struct ChunkID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The store's row id.
    public let rawValue: Int64
    /// Wraps a row id.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { "chunk \(rawValue)" }
    public static func < (lhs: ChunkID, rhs: ChunkID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a chunk's request is.
public enum ChunkState: String, Sendable, Codable, CaseIterable {
    /// Committed before the request left; no answer recorded yet.
    case inFlight = "in-flight"
    /// The platform's answer (accepting or refusing) is recorded.
    case answered
    /// The request may have reached the platform; its numbers are unconfirmed.
    case unconfirmed
    /// Provably never sent (DNS, connect, TLS); its numbers went back to the queue.
    case notSent = "not-sent"
}

/// A chunk committed as in flight: send exactly these numbers with this `extend` tag.
public struct ChunkPlan: Sendable, Hashable {
    /// The row id.
    public var id: ChunkID
    /// The job it belongs to.
    public var jobID: JobID
    /// 1, 2, 3... within the job.
    public var sequence: Int
    /// The `extend` value that identifies job and chunk in status reports (≤ 28 chars).
    public var extendTag: String
    /// The numbers in E.164, at most the requested chunk size, all distinct.
    public var numbers: [String]
    /// When it was committed.
    public var createdAt: Date
    /// The request start reserved for it in the account's pace budget (SPEC §4), when the claim
    /// reserved one: the instant the pace rule counts; the request leaves right after the commit.
    public var startsAt: Date?
    /// A personalised job's numbers grouped by their values (one `smsContent` entry each, SPEC
    /// §7), covering `numbers`; empty for a job whose numbers share the job's parameters.
    public var valueGroups: [ChunkValueGroup] = []

    /// A value with every field given.
    package init(id: ChunkID, jobID: JobID, sequence: Int, extendTag: String, numbers: [String], createdAt: Date,
                 startsAt: Date? = nil) {
        self.startsAt = startsAt
        self.id = id
        self.jobID = jobID
        self.sequence = sequence
        self.extendTag = extendTag
        self.numbers = numbers
        self.createdAt = createdAt
    }
}

/// Numbers of a chunk that get the same template values: one group of a `batchSendDiffSms`.
public struct ChunkValueGroup: Sendable, Hashable {
    /// The values, in the template's variable order.
    public var params: [String]
    /// The group's numbers (E.164), in claim order.
    public var numbers: [String]

    /// A group of `numbers` with `params`.
    public init(params: [String], numbers: [String]) {
        self.params = params
        self.numbers = numbers
    }
}

/// The result of asking for the next chunk of a job.
public struct ChunkClaim: Sendable, Hashable {
    /// The chunk to send now, already committed as in flight; nil when nothing may be sent now.
    public var chunk: ChunkPlan?
    /// Numbers this claim deferred because of a frequency limit (send windows: `postponed`).
    public var deferred: Int
    /// Numbers this claim failed with LOCAL_LIMIT (their wait was longer than max-defer).
    public var limited: Int
    /// Numbers this claim skipped because they are on the suppression list.
    public var suppressed: Int
    /// The earliest time a deferred number of the job becomes due (set whether or not a chunk came).
    public var nextDeferredDue: Date?
    /// True when no number of the job is pending or deferred any more (in-flight ones may remain).
    public var isDrained: Bool
    /// The account's (or job's) pace has no room before this instant: nothing was claimed; ask again then.
    public var paceWaitUntil: Date?
    /// Numbers this claim postponed to their send window that were not postponed before.
    public var postponed = 0
    /// Numbers postponed to their send window before that this claim took out of that wait
    /// (into the chunk, to a frequency-limit wait, or failed).
    public var released = 0
    /// Numbers this claim failed as retryable SEND_WINDOW: the job's send-by deadline passed.
    public var expired = 0
    /// The claim stopped at its share of work with numbers still due: ask again at once.
    public var hasMoreDue = false

    /// A value with every field given.
    package init(chunk: ChunkPlan? = nil, deferred: Int, limited: Int, suppressed: Int, nextDeferredDue: Date? = nil,
                 isDrained: Bool, paceWaitUntil: Date? = nil) {
        self.paceWaitUntil = paceWaitUntil
        self.chunk = chunk
        self.deferred = deferred
        self.limited = limited
        self.suppressed = suppressed
        self.nextDeferredDue = nextDeferredDue
        self.isDrained = isDrained
    }
}

/// What happened to one number of an answered chunk.
public enum NumberOutcome: Sendable, Hashable {
    /// Accepted by the platform with this id.
    case accepted(smsMsgId: String)
    /// Refused for this number; `failureClass` says whether it is ever resent.
    case failed(code: String, description: String, failureClass: FailureClass)
    /// The answer does not say (e.g. missing from the result list): not resent unless asked.
    case unconfirmed(description: String)
    /// Not sent and never will be in this job (e.g. the job stopped): retryable by rerun.
    case notSent(code: String, description: String)
    /// Not sent; put it back in the queue (flow control, account limit before a pause).
    case retry
    /// Not sent; try again at the given time (deferred; the store files it under FLOW_CONTROL, the one use).
    case retryAt(Date, reason: String)
}

/// The platform's answer to a chunk's request, as the runner reads it.
public struct ChunkAnswer: Sendable, Hashable {
    /// When the request started (after pacing); the send history is moved to this instant.
    public var requestStartedAt: Date
    /// The answer's `code` (000000, E000510, E000623...).
    public var code: String
    public var description: String
    /// Per-number outcomes, keyed by E.164.
    public var outcomes: [String: NumberOutcome]
    /// For chunk numbers `outcomes` does not mention.
    public var unlisted: NumberOutcome

    /// An answer with per-number outcomes and one for numbers it does not mention.
    public init(requestStartedAt: Date, code: String, description: String,
                outcomes: [String: NumberOutcome], unlisted: NumberOutcome) {
        self.requestStartedAt = requestStartedAt
        self.code = code
        self.description = description
        self.outcomes = outcomes
        self.unlisted = unlisted
    }
}

/// How an answer, an unconfirmed mark or a recovery changed a chunk's numbers.
public struct ChunkSettlement: Sendable, Hashable {
    /// Numbers accepted by the platform.
    public var accepted = 0
    /// Numbers refused by the platform.
    public var failed = 0
    /// Numbers whose fate is unknown.
    public var unconfirmed = 0
    /// Numbers not sent and not requeued.
    public var notSent = 0
    /// Numbers put back in the queue (pending or deferred).
    public var requeued = 0
    /// All counts zero.
    public init() {}
}

/// A stored chunk.
public struct ChunkRecord: Sendable, Hashable {
    /// The row id.
    public var id: ChunkID
    /// The job it belongs to.
    public var jobID: JobID
    /// 1, 2, 3... within the job.
    public var sequence: Int
    /// The `extend` value sent with the request.
    public var extendTag: String
    /// Where it is now.
    public var state: ChunkState
    /// How many numbers it holds.
    public var size: Int
    /// When it was committed as in flight.
    public var createdAt: Date
    /// When its request started, once known.
    public var requestStartedAt: Date?
    /// When its answer was recorded.
    public var answeredAt: Date?
    /// The answer's `code`.
    public var answerCode: String?
    /// The answer's `description`, or why it was not sent.
    public var answerDescription: String?

    /// A value with every field given.
    package init(id: ChunkID, jobID: JobID, sequence: Int, extendTag: String, state: ChunkState, size: Int, createdAt: Date, requestStartedAt: Date? = nil, answeredAt: Date? = nil, answerCode: String? = nil, answerDescription: String? = nil) {
        self.id = id
        self.jobID = jobID
        self.sequence = sequence
        self.extendTag = extendTag
        self.state = state
        self.size = size
        self.createdAt = createdAt
        self.requestStartedAt = requestStartedAt
        self.answeredAt = answeredAt
        self.answerCode = answerCode
        self.answerDescription = answerDescription
    }
}

/// A stored number of a job.
public struct NumberRecord: Sendable, Hashable {
    /// The row id.
    public var id: Int64
    /// The job it belongs to.
    public var jobID: JobID
    /// First-seen order within the job, from 0.
    public var position: Int
    /// The recipient file it came from, if known.
    public var sourceFile: String?
    /// The cell it was read from, e.g. "A17".
    public var cell: String?
    /// The cell text, for invalid entries.
    public var original: String?
    /// Nil only for invalid entries.
    public var e164: String?
    /// Where it is now.
    public var state: NumberState
    /// Why it failed, deciding whether it is resent.
    public var failureClass: FailureClass?
    /// Where it failed.
    public var stage: FailureStage?
    /// The failure code (platform code, status, LOCAL_LIMIT, SUPPRESSED...).
    public var code: String?
    public var description: String?
    /// The chunk that last carried it.
    public var chunkID: ChunkID?
    /// The platform's message id once accepted.
    public var smsMsgId: String?
    /// When a deferred number becomes due.
    public var deferredUntil: Date?
    /// When the platform accepted it.
    public var acceptedAt: Date?
    /// When its status report arrived.
    public var reportAt: Date?

    /// A value with every field given.
    package init(id: Int64, jobID: JobID, position: Int, sourceFile: String? = nil, cell: String? = nil, original: String? = nil, e164: String? = nil, state: NumberState, failureClass: FailureClass? = nil, stage: FailureStage? = nil, code: String? = nil, description: String? = nil, chunkID: ChunkID? = nil, smsMsgId: String? = nil, deferredUntil: Date? = nil, acceptedAt: Date? = nil, reportAt: Date? = nil) {
        self.id = id
        self.jobID = jobID
        self.position = position
        self.sourceFile = sourceFile
        self.cell = cell
        self.original = original
        self.e164 = e164
        self.state = state
        self.failureClass = failureClass
        self.stage = stage
        self.code = code
        self.description = description
        self.chunkID = chunkID
        self.smsMsgId = smsMsgId
        self.deferredUntil = deferredUntil
        self.acceptedAt = acceptedAt
        self.reportAt = reportAt
    }
}
