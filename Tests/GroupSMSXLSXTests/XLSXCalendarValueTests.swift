@testable import GroupSMSXLSX
import Testing

/// Day serials and ISO dates as Excel shows them, and which number formats are dates.
@Suite struct XLSXCalendarValueTests {
    private func serial(_ text: String, date1904: Bool = false) -> XLSXCalendarValue? {
        var copy = text
        return copy.withUTF8 { XLSXCalendarValue.serial($0, date1904: date1904) }
    }

    private func iso(_ text: String) -> XLSXCalendarValue? {
        var copy = text
        return copy.withUTF8 { XLSXCalendarValue.iso($0) }
    }

    @Test func serialsOfThe1900System() {
        #expect(serial("46219")?.dateText == "2026/07/16")
        #expect(serial("46219.604166666664")?.timeText == "14:30")
        #expect(serial("0.6041666666666666")?.timeText == "14:30", "14:30 is 52199.99999 s: rounded, not cut")
        #expect(serial("1")?.dateText == "1900/01/01")
        #expect(serial("59")?.dateText == "1900/02/28")
        #expect(serial("60")?.dateText == "1900/02/29", "Excel's Lotus day, which the ${DATE} check then refuses")
        #expect(serial("61")?.dateText == "1900/03/01")
        #expect(serial("25569")?.dateText == "1970/01/01")
        #expect(serial("2958465.9999")?.dateText == "9999/12/31")
        #expect(serial("0.99999999")?.dateText == "1900/01/01", "a fraction that rounds to midnight is the next day")
        #expect(serial("0.99999999")?.timeText == "00:00")
        #expect(serial("1.5E4")?.dateText == "1941/01/24")
    }

    @Test func serialsOfThe1904System() {
        #expect(serial("44757", date1904: true)?.dateText == "2026/07/16")
        #expect(serial("0", date1904: true)?.dateText == "1904/01/01")
    }

    @Test(arguments: ["-1", "2958466", "abc", "", "1e400"])
    func serialsExcelCannotShow(text: String) {
        #expect(serial(text) == nil)
    }

    @Test func isoDateCells() {
        #expect(iso("2026-07-16") == XLSXCalendarValue(year: 2026, month: 7, day: 16))
        #expect(iso("2026-07-16T14:30:59.5Z") == XLSXCalendarValue(year: 2026, month: 7, day: 16, hour: 14, minute: 30, second: 59))
        #expect(iso("2026-07-16T09:05:00+08:00")?.timeText == "09:05")
        #expect(iso("14:30:00")?.timeText == "14:30")
        #expect(iso("2026-7-16") == nil)
        #expect(iso("2026-13-01") == nil)
        #expect(iso("2026-07-16T25:00") == nil)
    }

    @Test(arguments: [
        ("General", XLSXNumberStyle.plain), ("0.00", .plain), ("#,##0 \"days\"", .plain), ("0.00E+00", .plain),
        ("[Red]0.00", .plain), ("[$¥-804]#,##0.00", .plain), ("@", .plain), ("\\d0", .plain),
        ("yyyy/mm/dd", .date), ("d-mmm-yy", .date), ("mmm", .date), ("yyyy\"年\"m\"月\"d\"日\"", .date),
        ("[$-409]m/d/yy", .date), ("h:mm", .time), ("h:mm AM/PM", .time), ("mm:ss", .time), ("[h]:mm", .time),
        ("[mm]", .time), ("yyyy-mm-dd hh:mm", .dateTime), ("m/d/yy h:mm;@", .dateTime), ("0;yyyy", .plain),
    ])
    func customFormatCodes(code: String, style: XLSXNumberStyle) {
        var copy = code
        #expect(copy.withUTF8 { XLSXCellStyles.classify(formatCode: $0) } == style)
    }

    @Test func builtInFormats() {
        #expect(XLSXCellStyles.builtIn(0) == .plain)
        #expect(XLSXCellStyles.builtIn(14) == .date)
        #expect(XLSXCellStyles.builtIn(20) == .time)
        #expect(XLSXCellStyles.builtIn(22) == .dateTime)
        #expect(XLSXCellStyles.builtIn(31) == .date)
        #expect(XLSXCellStyles.builtIn(32) == .time)
        #expect(XLSXCellStyles.builtIn(49) == .plain)
    }
}
