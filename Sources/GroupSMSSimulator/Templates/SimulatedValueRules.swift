import Foundation

/// The value rules of FAQ 5.1 as the simulated platform applies them, written with regular
/// expressions and Foundation's calendar rather than the product's hand-written checks.
enum SimulatedValueRules {
    static func accepts(_ value: String, in slot: SimulatedTemplate.Slot) -> Bool {
        guard !value.isEmpty else { return false }
        switch slot {
        case .txt(let size):
            return value.unicodeScalars.count <= size
        case .num(let size):
            return value.unicodeScalars.count <= size && value.wholeMatch(of: /[0-9]+/) != nil
        case .date:
            return isCalendarDate(value)
        case .time:
            return value.wholeMatch(of: /([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?/) != nil
        }
    }

    /// `yyyy/M/d` to `yyyy/MM/dd` (FAQ 5.1 shows 2017/7/1), a day that exists.
    private static func isCalendarDate(_ value: String) -> Bool {
        guard let match = value.wholeMatch(of: /([0-9]{4})\/([0-9]{1,2})\/([0-9]{1,2})/),
              let year = Int(match.output.1), let month = Int(match.output.2), let day = Int(match.output.3),
              year >= 1
        else { return false }
        let components = DateComponents(year: year, month: month, day: day)
        return components.isValidDate(in: Calendar(identifier: .gregorian))
    }
}
