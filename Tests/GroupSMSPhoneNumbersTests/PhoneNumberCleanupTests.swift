import Testing
@testable import GroupSMSPhoneNumbers

/// SPEC §2 step 2, one rule at a time (default region CN).
@Suite struct PhoneNumberCleanupTests {
    let normalizer: PhoneNumberNormalizer

    init() throws { normalizer = try PhoneNumberNormalizer(defaultRegion: "CN") }

    func e164(_ text: String) -> String? {
        if case .valid(let number) = normalizer.normalize(text: text) { return number.e164 }
        return nil
    }

    func reason(_ text: String) -> PhoneNumberRejection.Reason? {
        if case .rejected(let rejection) = normalizer.normalize(text: text) { return rejection.reason }
        return nil
    }

    @Test(arguments: ["１３１１２３４５６７８", "＋８６ １３１ １２３４ ５６７８", "+86\u{3000}131\u{3000}1234\u{3000}5678", "（＋８６）１３１１２３４５６７８", "（０）１３１－１２３４－５６７８"])
    func fullWidthDigitsPlusAndBracketsBecomeASCII(text: String) {
        #expect(e164(text) == "+8613112345678")
    }

    @Test(arguments: ["131 1234 5678", "131\t1234\t5678", "131\u{00A0}1234\u{00A0}5678", "131\u{3000}1234\u{3000}5678",
                      "131\u{2009}1234\u{202F}5678", " 13112345678 ", "131\n1234\r\n5678"])
    func whiteSpaceIsRemoved(text: String) {
        #expect(e164(text) == "+8613112345678")
    }

    @Test(arguments: ["\u{200B}13112345678", "131\u{200C}1234\u{200D}5678", "131\u{2060}12345678", "\u{FEFF}13112345678"])
    func zeroWidthCharactersAreRemoved(text: String) {
        #expect(e164(text) == "+8613112345678")
    }

    @Test(arguments: ["131-1234-5678", "131.1234.5678", "(131) 1234 5678", "131/1234/5678", "'13112345678", "'+86 131-1234-5678"])
    func separatorsAreRemoved(text: String) {
        #expect(e164(text) == "+8613112345678")
    }

    @Test(arguments: ["0086 131 1234 5678", "00 86 13112345678", "0 0 8 6 131 1234 5678", "+86 131 1234 5678"])
    func leadingDoubleZeroBecomesPlus(text: String) {
        #expect(e164(text) == "+8613112345678")
    }

    @Test func leadingDoubleZeroFollowedByNothingHasNoDigits() {
        #expect(reason("00") == .noDigits)
        #expect(reason("+") == .noDigits)
        #expect(reason("(-)") == .noDigits)
    }

    @Test(arguments: [("131 1234 5678 ext 12", "e"), ("131x12345678", "x"), ("tel:13112345678", "t"), ("131#12345678", "#"),
                      ("131,1234,5678", ","), ("131;12345678", ";"), ("131*12345678", "*"), ("131_1234_5678", "_"),
                      ("131\u{2013}1234\u{2013}5678", "\u{2013}"), ("1-800-FLOWERS", "F"), ("电话13112345678", "电")])
    func anythingElseIsAForbiddenCharacter(text: String, character: String) {
        #expect(reason(text) == .forbiddenCharacter(character))
    }

    @Test func aComposedLetterIsReportedAsTypedAfterNFKC() {
        // "e" + combining acute composes to "é" under NFKC.
        #expect(reason("131e\u{0301}12345678") == .forbiddenCharacter("é"))
    }

    @Test(arguments: ["86+13112345678", "+86+13112345678", "13112345678+", "++8613112345678"])
    func aPlusAnywhereButFirstIsRefused(text: String) {
        #expect(reason(text) == .misplacedPlus)
    }

    @Test(arguments: ["", "   ", "\u{00A0}", "\u{200B}"])
    func blankCellsAreEmpty(text: String) {
        #expect(reason(text) == .emptyCell)
    }

    @Test func otherDecimalDigitsCountAsDigits() {
        #expect(e164("+٨٦ ١٣١ ١٢٣٤ ٥٦٧٨") == "+8613112345678")  // Arabic-Indic
        #expect(e164("۱۳۱۱۲۳۴۵۶۷۸") == "+8613112345678")  // Extended Arabic-Indic
    }

    @Test func rejectionsExplainWhatIsAllowed() throws {
        guard case .rejected(let rejection) = normalizer.normalize(text: "131 1234 5678 ext 12") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.message.contains("\"e\""))
        #expect(rejection.message.contains("only hold digits, one leading +"))
        #expect(!rejection.spreadsheetMayHaveDroppedPrefix)
    }
}
