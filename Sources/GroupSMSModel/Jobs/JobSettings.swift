import Foundation

/// What a job sends and how: the one place a job's settings and their defaults are written.
///
/// Job files, `send` options, drafts, stored jobs and reruns all carry this value whole, so a
/// new setting is added here once and a rerun copies it without naming fields.
public struct JobSettings: Sendable, Hashable, Codable {
    /// Numbers per second when nothing else is said: the platform's per-account maximum.
    public static let defaultRate = 500
    /// The platform's per-account maximum, numbers per second (FAQ 2.10).
    public static let maximumRate = 500
    /// The rates a job may have.
    public static let rates = 1...maximumRate
    /// The region assumed for numbers written without a country code.
    public static let defaultCountry = "CN"
    /// The longest a frequency limit may defer a number before it fails with LOCAL_LIMIT.
    public static let defaultMaxDefer: TimeInterval = 3600

    /// The template id.
    public var templateID: String
    /// templateParas, in order.
    public var params: [String]
    /// The signature name, if any.
    public var signature: String?
    /// The channel number (`from`).
    public var from: String
    /// Numbers per second, 1...500.
    public var rate: Int
    /// The `statusCallback` that means "send none": the platform then uses the console's URL.
    public static let noStatusCallback = "none"

    /// The status report callback URL the platform is given, if any (`noStatusCallback`: none,
    /// not even a receiver's own).
    public var statusCallback: String?
    /// The region assumed for numbers without a country code.
    public var defaultCountry: String
    /// Longest frequency-limit deferral before LOCAL_LIMIT, in seconds (never applies to send windows).
    public var maxDefer: TimeInterval
    /// Which hours of each recipient's local time the job may send in (SPEC §8).
    public var sendWindow: SendWindowSetting

    /// Settings with the defaults of `send` for everything not given.
    public init(templateID: String, from: String, params: [String] = [], signature: String? = nil,
                rate: Int = JobSettings.defaultRate, statusCallback: String? = nil,
                defaultCountry: String = JobSettings.defaultCountry,
                maxDefer: TimeInterval = JobSettings.defaultMaxDefer,
                sendWindow: SendWindowSetting = .regionDefaults) {
        self.templateID = templateID
        self.params = params
        self.signature = signature
        self.from = from
        self.rate = rate
        self.statusCallback = statusCallback
        self.defaultCountry = defaultCountry
        self.maxDefer = maxDefer
        self.sendWindow = sendWindow
    }

    /// templateId + params + signature, as the frequency limits compare content.
    public var contentKey: String {
        ContentKey.make(templateID: templateID, params: params, signature: signature)
    }
}

/// A value that carries `JobSettings` and reads them as its own properties (`job.rate`).
public protocol HasJobSettings {
    /// The settings carried.
    var settings: JobSettings { get set }
}

extension HasJobSettings {
    /// Reads and writes the carried settings' fields directly.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<JobSettings, Value>) -> Value {
        get { settings[keyPath: keyPath] }
        set { settings[keyPath: keyPath] = newValue }
    }

    /// Reads derived settings values (`job.contentKey`).
    public subscript<Value>(dynamicMember keyPath: KeyPath<JobSettings, Value>) -> Value {
        settings[keyPath: keyPath]
    }
}
