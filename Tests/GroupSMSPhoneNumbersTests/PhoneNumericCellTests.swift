import Testing
@testable import GroupSMSPhoneNumbers

/// Numeric cells (SPEC §2 step 1): exact decimal conversion, fractions and negatives
/// refused, and the spreadsheet hint for numbers without a country code.
@Suite struct PhoneNumericCellTests {
    let normalizer: PhoneNumberNormalizer

    init() throws { normalizer = try PhoneNumberNormalizer(defaultRegion: "CN") }

    @Test(arguments: ["8613112345678", "13112345678", "1.3112345678E10", "1.3112345678E+10", "1.3112345678e10",
                      "8.613112345678E+12", "8.613112345678E12", "13112345678.0", "13112345678.000", "131123456.78E2",
                      "0.13112345678E11", "1311234567800E-2", " 13112345678 ", "+13112345678"])
    func integerAndExponentFormsConvertExactly(text: String) {
        guard case .valid(let number) = normalizer.normalize(.number(text)) else {
            Issue.record("\(text) was rejected")
            return
        }
        #expect(number.e164 == "+8613112345678")
    }

    @Test func digitsBeyondDoublePrecisionSurvive() {
        // 17 significant digits: a Double would round the last one.
        guard case .rejected(let rejection) = normalizer.normalize(.number("4.9151234567891234E+16")),
              case .invalidNumber(let e164, _, _) = rejection.reason else {
            Issue.record("expected an invalid number")
            return
        }
        #expect(e164 == "+8649151234567891234")
    }

    @Test(arguments: ["13112345678.5", "1.31123456785E10", "0.5", "1.5E-3", "131123456780E-1" + "1"])
    func fractionsAreRefused(text: String) {
        guard case .rejected(let rejection) = normalizer.normalize(.number(text)) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(rejection.reason == .fractionalNumber(text))
        #expect(rejection.message.contains("fraction"))
    }

    @Test func negativeNumbersAreRefused() {
        #expect(normalizer.normalize(.number("-13112345678")) == .rejected(PhoneNumberRejection(.negativeNumber("-13112345678"))))
    }

    @Test func zeroIsTooShort() {
        #expect(normalizer.normalize(.number("0")) == .rejected(PhoneNumberRejection(.tooFewDigits)))
        #expect(normalizer.normalize(.number("-0.0")) == .rejected(PhoneNumberRejection(.tooFewDigits)))
    }

    @Test(arguments: ["", "abc", "1.2.3", "1E", "E5", "--1", "1,000", "NaN", "0x1F"])
    func unreadableNumericTextIsRefused(text: String) {
        #expect(normalizer.normalize(.number(text)) == .rejected(PhoneNumberRejection(.unreadableNumericCell(text))))
    }

    @Test func hugeExponentsAreTooLongWithoutBuildingTheDigits() {
        #expect(normalizer.normalize(.number("1E+99999999")) == .rejected(PhoneNumberRejection(.tooLong)))
    }

    @Test(arguments: ["7911123456", "447911123456", "4.47911123456E+11"])
    func numbersWithoutACountryCodeCarryTheSpreadsheetHint(text: String) {
        guard case .rejected(let rejection) = normalizer.normalize(.number(text)) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(rejection.spreadsheetMayHaveDroppedPrefix)
        #expect(rejection.message.hasSuffix("the leading + or 0 may have been dropped; format the column as Text"))
    }

    @Test func textCellsWithTheSameDigitsGetNoHint() {
        guard case .rejected(let rejection) = normalizer.normalize(.text("7911123456")) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(!rejection.spreadsheetMayHaveDroppedPrefix)
        #expect(!rejection.message.contains("format the column as Text"))
    }

    @Test func booleanErrorAndDateCellsAreInvalid() {
        #expect(normalizer.normalize(.boolean("TRUE")) == .rejected(PhoneNumberRejection(.booleanCell("TRUE"))))
        #expect(normalizer.normalize(.error("#N/A")) == .rejected(PhoneNumberRejection(.errorCell("#N/A"))))
        guard case .rejected(let date) = normalizer.normalize(.date("2026-03-01")) else {
            Issue.record("a date cell was accepted")
            return
        }
        #expect(date.message.contains("format the column as Text"))
    }
}
