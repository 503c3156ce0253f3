import Foundation

/// The sliding one-second window of numbers accepted, for `maxRate` (E200015).
struct SimulatorRateWindow {
    private var window: [(time: Date, count: Int)] = []
    private var start = 0
    private var sum = 0

    /// Admits `count` numbers at `now` unless that passes `limit` in the last second.
    mutating func admit(_ count: Int, now: Date, limit: Int?) -> Bool {
        while start < window.count, now.timeIntervalSince(window[start].time) >= 1 {
            sum -= window[start].count
            start += 1
        }
        if start > 1024 {
            window.removeFirst(start)
            start = 0
        }
        if let limit, sum + count > limit { return false }
        window.append((now, count))
        sum += count
        return true
    }
}

/// The account's UTC day and month send budgets (E000623).
struct SimulatorBudgets {
    private var day = ""
    private var dayCount = 0
    private var month = ""
    private var monthCount = 0

    /// Starts a new day or month when `isoNow` (`yyyy-MM-ddTHH:mm:ssZ`) is in another one.
    mutating func roll(to isoNow: String) {
        let today = String(isoNow.prefix(10)), thisMonth = String(isoNow.prefix(7))
        if today != day { day = today; dayCount = 0 }
        if thisMonth != month { month = thisMonth; monthCount = 0 }
    }

    /// Whether `count` more numbers fit both budgets.
    func allows(_ count: Int, daily: Int?, monthly: Int?) -> Bool {
        if let daily, dayCount + count > daily { return false }
        if let monthly, monthCount + count > monthly { return false }
        return true
    }

    mutating func spend(_ count: Int) {
        dayCount += count
        monthCount += count
    }
}
