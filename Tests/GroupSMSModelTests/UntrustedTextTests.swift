import GroupSMSModel
import Testing

@Suite("untrusted text")
struct UntrustedTextTests {
    @Test("C0, DEL, C1, bidi controls and line separators are escaped as \\u and four hex digits")
    func escapesControls() {
        #expect(UntrustedText.escaped("x\ngroupsms: job-2 FAKE finished\u{1B}[31m")
                == "x\\u000agroupsms: job-2 FAKE finished\\u001b[31m")
        #expect(UntrustedText.escaped("\u{0}\u{7F}\u{85}\u{9F}\t\r") == "\\u0000\\u007f\\u0085\\u009f\\u0009\\u000d")
        #expect(UntrustedText.escaped("a\u{202E}b\u{2028}c") == "a\\u202eb\\u2028c")
    }

    @Test("printable text, accents, CJK and emoji are kept as they are")
    func keepsPrintable() {
        for text in ["", "+8613112345678", "Zoë's café, 你好 ✓ 🎉", "back\\slash \\u001b literally"] {
            #expect(UntrustedText.escaped(text) == text)
            #expect(UntrustedText.masked(text) == text)
            #expect(UntrustedText.firstForbiddenScalar(in: text) == nil)
        }
    }

    @Test("masked puts one ? per control character, for the one-line progress display")
    func masks() {
        #expect(UntrustedText.masked("job-1\r\u{1B}[2K: 3/4") == "job-1??[2K: 3/4")
        #expect(UntrustedText.firstForbiddenScalar(in: "ok\u{1B}") == "\u{1B}")
    }
}
