/// libphonenumber's number types (of valid numbers).
public enum PhoneNumberType: String, Sendable, Codable, CaseIterable {
    case fixedLine, mobile, fixedLineOrMobile, tollFree, premiumRate, sharedCost, voip,
         personalNumber, pager, uan, voicemail

    /// Whether numbers of this type can receive SMS. Fixed-line-only, toll-free,
    /// premium-rate, shared-cost, UAN and voicemail numbers cannot; they stay valid but are
    /// reported as warnings, because the platform bills the message even when it fails.
    public var canReceiveSMS: Bool {
        switch self {
        case .mobile, .fixedLineOrMobile, .voip, .personalNumber, .pager: true
        case .fixedLine, .tollFree, .premiumRate, .sharedCost, .uan, .voicemail: false
        }
    }

    /// A short description for messages ("a toll-free number").
    public var phrase: String {
        switch self {
        case .fixedLine: "a fixed-line number"
        case .mobile: "a mobile number"
        case .fixedLineOrMobile: "a fixed-line or mobile number"
        case .tollFree: "a toll-free number"
        case .premiumRate: "a premium-rate number"
        case .sharedCost: "a shared-cost number"
        case .voip: "a VoIP number"
        case .personalNumber: "a personal number"
        case .pager: "a pager number"
        case .uan: "a universal access number (UAN)"
        case .voicemail: "a voicemail access number"
        }
    }
}

/// The outcome of libphonenumber's possible-length test for a national number.
public enum PhoneNumberLengthCheck: String, Sendable, Codable {
    case possible, possibleLocalOnly, tooShort, tooLong, invalidLength
}

/// A valid number in E.164 form.
public struct NormalizedPhoneNumber: Sendable, Hashable {
    /// The E.164 digits as one integer. Unique per number because calling codes never start
    /// with 0, and valid numbers have at most 19 digits, so it fits.
    public let e164Value: UInt64
    /// The calling code, e.g. 86.
    public let countryCode: Int
    /// The region the number belongs to ("CN"; "001" for non-geographical numbers).
    public let regionCode: String
    /// The number's type.
    public let type: PhoneNumberType

    /// The number in E.164 form, e.g. "+8613112345678".
    public var e164: String { Self.e164String(for: e164Value) }

    /// "+" and the decimal digits of `value`, written without intermediate strings.
    static func e164String(for value: UInt64) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer in
            var index = buffer.count
            var rest = value
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            index -= 1
            buffer[index] = UInt8(ascii: "+")
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[index...]), as: UTF8.self)
        }
    }

    /// A warning for a number that cannot receive SMS, or nil.
    public var smsWarning: String? {
        type.canReceiveSMS ? nil : Self.smsWarning(number: e164, type: type)
    }

    static func smsWarning(number: String, type: PhoneNumberType) -> String {
        number + smsWarningLink + type.phrase + smsWarningEnd
    }

    /// The fixed parts of `smsWarning`, between the number and the type's phrase and after it
    /// (the streamed `check --json` writes the message from its parts).
    static let smsWarningLink = " is "
    static let smsWarningEnd = " and cannot receive SMS; the platform may still bill the message"
}

/// What the normaliser made of one cell.
public enum PhoneNumberOutcome: Sendable, Hashable {
    /// A valid number.
    case valid(NormalizedPhoneNumber)
    /// Not a usable number, with the reason.
    case rejected(PhoneNumberRejection)
}
