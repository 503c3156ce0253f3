/// What the template registry said about one group of a request.
enum SimulatorGroupTemplate: Sendable, Equatable {
    /// No registry is configured: any template is sent, its text unknown.
    case unchecked
    /// Registered and the values fit: the text that is sent.
    case accepted(text: String)
    /// Every number of the group gets this status (E200028, E200030) and is not sent.
    case refused(status: String)
}

/// Applies the registry to each group of a request, and counts the segments of what is sent.
enum SimulatorTemplateCheck {
    /// Each group's verdict; throws the whole-request refusal (E000503 for a brace in a value).
    static func check(_ submission: SimulatorSubmission,
                      registry: SimulatedTemplateRegistry?) throws(SimulatorRefusal) -> [SimulatorGroupTemplate] {
        guard let registry else { return submission.groups.map { _ in .unchecked } }
        var verdicts: [SimulatorGroupTemplate] = []
        for group in submission.groups {
            let verdict = registry.verify(templateID: group.templateId, parameters: group.templateParas)
            if verdict.isAccepted {
                verdicts.append(.accepted(text: verdict.text ?? ""))
            } else if verdict.failsRequest {
                throw SimulatorRefusal(code: verdict.code, httpStatus: 400, numbers: submission.allNumbers)
            } else {
                verdicts.append(.refused(status: verdict.code))
            }
        }
        return verdicts
    }

    /// The platform's count of `text` sent to `number` (Chinese mainland when it starts +86).
    static func count(_ text: String, to number: String, signature: String?) -> SimulatedSegmentCounter.Count {
        SimulatedSegmentCounter.count(content: text, toMainland: number.hasPrefix("+86"), signature: signature)
    }
}
