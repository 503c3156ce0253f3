import GroupSMSModel

/// A fault injected into one request.
enum SimulatorFault: String, Sendable, CaseIterable {
    /// HTTP 500, not processed.
    case serverError
    /// Processed, then the connection is closed without an answer.
    case drop
    /// Processed, then answered only after `stallSeconds`.
    case stall
    /// Processed, then HTTP 502 with a gateway's HTML page.
    case acceptThen502
    /// Processed, then HTTP 200 with the API gateway's `error_code`/`error_msg` JSON.
    case acceptThenGatewayBody
    /// Processed, then HTTP 200 with an undocumented `code`.
    case unknownCode
    /// Every number answered with the configured status (code E000510), not processed.
    case wholeRequestStatus

    /// Whether the platform processes the request (accepts numbers, schedules reports) before the fault shows.
    var processes: Bool { self != .serverError && self != .wholeRequestStatus }

    /// The configured fraction of requests this fault hits.
    func fraction(in configuration: SimulatorConfiguration) -> Double {
        switch self {
        case .serverError: return configuration.serverErrorFraction
        case .drop: return configuration.dropFraction
        case .stall: return configuration.stallFraction
        case .acceptThen502: return configuration.acceptThen502Fraction
        case .acceptThenGatewayBody: return configuration.acceptThenGatewayBodyFraction
        case .unknownCode: return configuration.unknownCodeFraction
        case .wholeRequestStatus: return configuration.wholeRequestStatus == nil ? 0 : configuration.wholeRequestFraction
        }
    }

    /// Draws the fault of one request: each kind in declaration order with its own chance,
    /// the first hit wins. A kind with fraction 0 draws nothing, so adding kinds leaves the
    /// sequences of existing configurations unchanged.
    static func draw(_ configuration: SimulatorConfiguration, random: inout SeededRandom) -> SimulatorFault? {
        for fault in allCases {
            if random.chance(fault.fraction(in: configuration)) { return fault }
        }
        return nil
    }
}
