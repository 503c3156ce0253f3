import Testing
@testable import GroupSMSModel

@Suite("Segment counting (FAQ 11.21, table 11-1)")
struct SegmentCounterTests {
    private func international(_ text: String) -> SegmentCount {
        SegmentCounter.count(text, region: .international)
    }

    private func basic(_ count: Int) -> String { String(repeating: "a", count: count) }
    private func chinese(_ count: Int) -> String { String(repeating: "中", count: count) }

    @Test(arguments: [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)])
    func gsm7Boundaries(length: Int, segments: Int) {
        let count = international(basic(length))
        #expect(count == SegmentCount(encoding: .gsm7, units: length, segments: segments))
    }

    @Test func faqExamples() {
        #expect(international(basic(158)).segments == 1)
        #expect(international(basic(164)).segments == 2)
        #expect(international(basic(320)).segments == 3)
    }

    @Test func extensionCharactersCountTwo() {
        let count = international("^€{}[]~\\|")
        #expect(count == SegmentCount(encoding: .gsm7, units: 18, segments: 1))
        #expect(international("\u{0C}").units == 2)
    }

    @Test func anExtensionCharacterAtThe160Boundary() {
        #expect(international(basic(158) + "€") == SegmentCount(encoding: .gsm7, units: 160, segments: 1))
        #expect(international(basic(159) + "€") == SegmentCount(encoding: .gsm7, units: 161, segments: 2))
    }

    /// Decision: an escape pair never straddles two segments, so a segment may hold 152 septets.
    @Test func anEscapePairIsNotSplitAcrossSegments() {
        #expect(international(basic(152) + "[" + basic(152)) == SegmentCount(encoding: .gsm7, units: 306, segments: 3))
        #expect(international(basic(151) + "[" + basic(153)) == SegmentCount(encoding: .gsm7, units: 306, segments: 2))
        #expect(international(basic(153) + "[" + basic(151)) == SegmentCount(encoding: .gsm7, units: 306, segments: 2))
    }

    @Test func everyGSM7CharacterStaysGSM7() {
        let all = String(String.UnicodeScalarView(GSM7Alphabet.basicCharacters.sorted()))
        #expect(GSM7Alphabet.basicCharacters.count == 127)
        #expect(GSM7Alphabet.extensionCharacters.count == 10)
        #expect(international(all) == SegmentCount(encoding: .gsm7, units: 127, segments: 1))
        #expect(international("\u{1B}").encoding == .ucs2)
        #expect(international("`").encoding == .ucs2)
    }

    @Test func crLFIsTwoCharacters() {
        #expect(international("a\r\nb").units == 4)
    }

    @Test(arguments: [(70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)])
    func ucs2Boundaries(length: Int, segments: Int) {
        #expect(international(chinese(length)) == SegmentCount(encoding: .ucs2, units: length, segments: segments))
    }

    @Test func oneNonGSMCharacterMakesTheWholeMessageUCS2() {
        #expect(international(basic(69) + "’") == SegmentCount(encoding: .ucs2, units: 70, segments: 1))
        #expect(international(basic(70) + "’") == SegmentCount(encoding: .ucs2, units: 71, segments: 2))
        #expect(international("{" + "ą").units == 2)
    }

    @Test func anEmojiCountsTwo() {
        #expect(international(basic(68) + "😀") == SegmentCount(encoding: .ucs2, units: 70, segments: 1))
        #expect(international(basic(69) + "😀") == SegmentCount(encoding: .ucs2, units: 71, segments: 2))
        #expect(SegmentCounter.count(chinese(69) + "😀", region: .mainland)
            == SegmentCount(encoding: .mainland, units: 71, segments: 2))
    }

    /// Decision: a surrogate pair never straddles two segments either.
    @Test func aSurrogatePairIsNotSplitAcrossSegments() {
        #expect(international(chinese(66) + "😀" + chinese(66)) == SegmentCount(encoding: .ucs2, units: 134, segments: 3))
        #expect(international(chinese(65) + "😀" + chinese(67)) == SegmentCount(encoding: .ucs2, units: 134, segments: 2))
    }

    @Test func mainlandCountsEveryCharacterOnceAt70And67() {
        let plain = SegmentCounter.count(basic(70), region: .mainland)
        #expect(plain == SegmentCount(encoding: .mainland, units: 70, segments: 1))
        #expect(SegmentCounter.count(basic(71), region: .mainland).segments == 2)
        #expect(SegmentCounter.count(basic(134), region: .mainland).segments == 2)
        #expect(SegmentCounter.count(basic(135), region: .mainland).segments == 3)
    }

    @Test func theSignatureTipsAMainlandMessageIntoTwoSegments() throws {
        let signature = try SignatureName("HUAWEI")
        let fits = SegmentCounter.message(content: basic(62), region: .mainland, signature: signature)
        let tips = SegmentCounter.message(content: basic(63), region: .mainland, signature: signature)
        #expect(fits == "【HUAWEI】" + basic(62))
        #expect(SegmentCounter.count(fits, region: .mainland) == SegmentCount(encoding: .mainland, units: 70, segments: 1))
        #expect(SegmentCounter.count(tips, region: .mainland) == SegmentCount(encoding: .mainland, units: 71, segments: 2))
        #expect(SegmentCounter.count(basic(63), region: .mainland).segments == 1)
    }

    @Test func theSignatureOpensOnlyMainlandMessages() throws {
        let signature = try SignatureName("HUAWEI")
        #expect(SegmentCounter.message(content: "Hi", region: .international, signature: signature) == "Hi")
        #expect(SegmentCounter.message(content: "Hi", region: .mainland, signature: nil) == "Hi")
    }

    /// FAQ 11.6 counts signature (HWCloud, 7) + brackets (2) + template text + ${NUM_8} at its maximum (8).
    @Test func faqTemplateDetailsExample() throws {
        let template = try TemplateText("Verification code: ${NUM_8}.")
        let message = SegmentCounter.message(
            content: template.worstCaseContent, region: .mainland, signature: try SignatureName("HWCloud"))
        #expect(SegmentCounter.count(message, region: .mainland) == SegmentCount(encoding: .mainland, units: 7 + 2 + 20 + 8, segments: 1))
    }
}
