import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers

extension JobDraft {
    /// How the draft's numbers stand against its send window if it starts at `start`: how many
    /// are postponed and when they go (SPEC §8). `send --at`, `submit` and `send --dry-run`
    /// print its `warning`. `zones` defaults to libphonenumber's; the regional defaults need
    /// no lookup at all, so for them this is one pass over the numbers' text.
    public func sendWindowForecast(start: Date, zones: (any NumberZoneLookup)? = nil) throws -> SendWindowForecast {
        let lookup: (any NumberZoneLookup)? = settings.sendWindow.needsTimeZones
            ? try zones ?? PhoneNumberZoneLookup.shared() : zones
        return SendWindowForecast(numbers: numbers.lazy.map(\.e164), setting: settings.sendWindow, sendBy: sendBy,
                                  start: start, zones: lookup)
    }
}
