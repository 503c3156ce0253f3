@testable import GroupSMSXLSX
import Testing

/// The `_xHHHH_` escapes, A1 references and the byte-level guards in front of libxml2.
@Suite struct XLSXTextAndGuardTests {
    private func decoded(_ text: String) -> String {
        var bytes = Array(text.utf8)
        XLSXTextEscapes.decode(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func escapesDecode() {
        #expect(decoded("A_x0042_C") == "ABC")
        #expect(decoded("_x000D__x000A_") == "\r\n")
        #expect(decoded("_x005F_x0041_") == "_x0041_", "an escaped underscore stops the next escape")
        #expect(decoded("_xD83D__xDCF1_") == "📱", "a surrogate pair written as two escapes")
        #expect(decoded("_xD83D_x") == "\u{FFFD}x", "a lone surrogate")
        #expect(decoded("_x12G4_ _x123_ x0041_ _X0041_") == "_x12G4_ _x123_ x0041_ A")
        #expect(decoded("短_x4E2D_文") == "短中文")
    }

    @Test func escapesEncodeAndRoundTrip() {
        #expect(XLSXTextEscapes.encode("plain +86 131") == "plain +86 131")
        #expect(XLSXTextEscapes.encode("a\u{0}b\u{1F}c\rd") == "a_x0000_b_x001F_c_x000D_d")
        #expect(XLSXTextEscapes.encode("tab\tnewline\n") == "tab\tnewline\n")
        #expect(XLSXTextEscapes.encode("_x0041_ and _ alone") == "_x005F_x0041_ and _ alone")
        for text in ["_x005F_", "a\u{FFFF}b", "\u{1}_x0001_\u{1}", "x_X00AA_y", "电话_"] {
            #expect(decoded(XLSXTextEscapes.encode(text)) == text, "\(text.debugDescription)")
        }
    }

    @Test func cellReferences() {
        func parse(_ text: String) -> (Int, Int)? {
            Array(text.utf8).withUnsafeBufferPointer { XLSXCellReference.parse($0) }.map { ($0.column, $0.row) }
        }
        #expect(parse("A1")! == (1, 1))
        #expect(parse("b7")! == (2, 7))
        #expect(parse("XFD1048576")! == (16_384, 1_048_576))
        #expect(parse("AB")! == (28, 0))
        for bad in ["", "1", "A0", "A1048577", "XFE1", "A1B", "A-1", "AAAA1"] { #expect(parse(bad) == nil, "\(bad)") }
        #expect(XLSXCellReference.name(row: 12, column: 28) == "AB12")
        #expect(XLSXCellReference.columnLetters(16_384) == "XFD")
    }

    @Test func tagGuardCountsAcrossChunks() {
        var guardian = XMLTagLengthGuard(limit: 10)
        func feed(_ text: String) -> Bool {
            Array(text.utf8).withUnsafeBytes { guardian.accept($0) }
        }
        #expect(feed("<a>12345"))
        #expect(feed("67<b"), "nine bytes between the two <")
        #expect(feed("12345678"))
        #expect(feed("0"), "exactly the limit")
        #expect(!feed("1"), "one past the limit")
        var large = XMLTagLengthGuard(limit: 4)
        #expect(!Array("<ab<abcdefgh<".utf8).withUnsafeBytes { large.accept($0) }, "a long gap inside one chunk")
    }

    @Test func prologGuardFindsDoctypesAfterCommentsAndInWideEncodings() {
        func accepts(_ bytes: [UInt8]) -> Bool {
            var guardian = XMLPrologGuard()
            return bytes.withUnsafeBytes { guardian.accept($0) }
        }
        #expect(accepts(Array(#"<?xml version="1.0"?><!-- <!DOCTYPE x> --><root><!DOCTYPE later/></root>"#.utf8)))
        #expect(!accepts(Array(#"<?xml version="1.0"?><!-- <x> --><!DOCTYPE root><root/>"#.utf8)))
        #expect(!accepts(Array("<?pi <x> ?>\n<!ENTITY x>".utf8)))
        let utf16 = Array("\u{FEFF}<!DOCTYPE r><r/>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(!accepts(utf16))
        var split = XMLPrologGuard()
        #expect(Array("<?xml?><".utf8).withUnsafeBytes { split.accept($0) })
        #expect(!Array("!DOCTYPE".utf8).withUnsafeBytes { split.accept($0) }, "the <! split across chunks")
    }
}
