import Testing
@testable import GroupSMSModel

@Suite("Characters that force UCS-2, with GSM-7 look-alikes")
struct NonGSMCharacterTests {
    @Test func listsEachCharacterOnceInOrderWithItsLookAlike() {
        let found = GSM7LookAlikes.nonGSMCharacters(in: "It’s “fine” – ok… it’s 中 😀")
        #expect(found == [
            NonGSMCharacter(character: "’", replacement: "'"),
            NonGSMCharacter(character: "“", replacement: "\""),
            NonGSMCharacter(character: "”", replacement: "\""),
            NonGSMCharacter(character: "–", replacement: "-"),
            NonGSMCharacter(character: "…", replacement: "..."),
            NonGSMCharacter(character: "中", replacement: nil),
            NonGSMCharacter(character: "😀", replacement: nil),
        ])
    }

    @Test func spacesAndInvisibleCharacters() {
        let found = GSM7LookAlikes.nonGSMCharacters(in: "a\u{00A0}b\u{200B}c\td")
        #expect(found.map(\.replacement) == [" ", "", " "])
    }

    @Test func accentsWithoutAGSM7Code() {
        #expect(GSM7LookAlikes.replacement(for: "ç") == "Ç")
        #expect(GSM7LookAlikes.replacement(for: "á") == "a")
        #expect(GSM7LookAlikes.replacement(for: "—") == "-")
        #expect(GSM7LookAlikes.replacement(for: "ą") == nil)
    }

    @Test func aSeparateCombiningAccentComposesToTheGSM7Letter() {
        let found = GSM7LookAlikes.nonGSMCharacters(in: "Cafe\u{0301}")
        #expect(found.count == 1)
        #expect(found.first?.replacement?.unicodeScalars.map(\.value) == [0xE9])
    }

    @Test func gsm7TextHasNone() {
        #expect(GSM7LookAlikes.nonGSMCharacters(in: "Ça va? 5€ {ok} @home\r\n").isEmpty)
    }

    @Test func everyReplacementIsGSM7() {
        for (character, replacement) in GSM7LookAlikes.table {
            #expect(SegmentCounter.count(replacement, region: .international).encoding == .gsm7, "\(character)")
            #expect(SegmentCounter.count(String(character), region: .international).encoding == .ucs2, "\(character)")
        }
    }
}
