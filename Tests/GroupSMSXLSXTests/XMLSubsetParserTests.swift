import Foundation
import Testing
@testable import GroupSMSXLSX

/// Writes every event down: elements with the attributes tests look at, text merged per run.
private final class Recorder: XMLPushHandler {
    private(set) var events: [String] = []
    private var text: [UInt8] = []
    private var names: [UnsafePointer<UInt8>?: String] = [:]
    private var attributeNames: [(String, XMLName)] = []
    static let known = ["worksheet", "sheetData", "row", "c", "v", "is", "t", "a", "b", "x", "r", "s", "spans", "id"]

    func learn(_ parser: XMLEventParser) {
        names = [:]
        for name in Self.known { names[parser.name(name).pointer] = name }
        attributeNames = ["r", "s", "t", "spans", "id", "x"].map { ($0, parser.name($0)) }
    }

    private func flush() {
        if !text.isEmpty { events.append("text " + String(decoding: text, as: UTF8.self)) }
        text = []
    }

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) -> Bool {
        flush()
        let listed = attributeNames.compactMap { key, name in
            attributes.value(name).map { "\(key)=" + String(decoding: $0, as: UTF8.self) }
        }
        events.append("start \(names[name.pointer] ?? "?") \(listed.joined(separator: ","))")
        return true
    }

    override func endElement(_ name: XMLName) -> Bool {
        flush()
        events.append("end \(names[name.pointer] ?? "?")")
        return true
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        text.append(contentsOf: bytes)
        return true
    }

    func finish() -> [String] {
        flush()
        return events
    }
}

/// The subset parser against libxml2: for any document, reading it with the subset parser
/// (handing over to libxml2 where it stops) gives the events and the verdict libxml2 gives.
@Suite struct XMLSubsetParserTests {
    private enum Verdict: Equatable {
        case read
        case refused(XLSXError.Reason)
    }

    /// Where two readings part, for a short failure message.
    private static func difference(_ read: Reading, _ expected: Reading) -> String {
        let shorter = min(read.events.count, expected.events.count)
        let index = (0..<shorter).first { read.events[$0] != expected.events[$0] } ?? shorter
        let mine = index < read.events.count ? read.events[index] : "(end)"
        let theirs = index < expected.events.count ? expected.events[index] : "(end)"
        return "event \(index): \(mine) against libxml2's \(theirs); \(read.verdict) against \(expected.verdict)"
            + (read.handedOver.map { "; handed over at \($0)" } ?? "")
    }

    private struct Reading: Equatable {
        var events: [String]
        var verdict: Verdict
        /// What the subset parser handed over, when it did.
        var handedOver: String?

        static func == (left: Reading, right: Reading) -> Bool { left.events == right.events && left.verdict == right.verdict }
    }

    private static func drain(_ parser: XMLEventParser) throws {
        var chunks = 0
        while try parser.parseNextChunk() {
            chunks += 1
            if chunks > 1_000_000 { Issue.record("the parser never ended"); return }
        }
    }

    private static func libxml2(_ bytes: [UInt8], piece: Int = .max) -> Reading {
        let recorder = Recorder()
        do {
            let parser = try XMLPushParser(source: XMLMemorySource(bytes, piece: piece), handler: recorder, path: "f.xlsx",
                                           part: "sheet.xml", maxTagBytes: 1 << 20)
            recorder.learn(parser)
            try drain(parser)
            return Reading(events: recorder.finish(), verdict: .read)
        } catch {
            return Reading(events: recorder.finish(), verdict: .refused((error as? XLSXError)?.reason ?? .cannotOpen("\(error)")))
        }
    }

    private static func subsetFirst(_ bytes: [UInt8], piece: Int = .max) -> Reading {
        let recorder = Recorder()
        let parser = XMLSubsetParser(source: XMLMemorySource(bytes, piece: piece), handler: recorder, path: "f.xlsx",
                                     part: "sheet.xml", maxTagBytes: 1 << 20)
        recorder.learn(parser)
        do {
            try drain(parser)
            return Reading(events: recorder.finish(), verdict: .read)
        } catch let handOver as XMLSubsetParser.HandOver {
            let replay = XMLReplayHandler(target: recorder, after: handOver)
            do {
                let takeOver = try XMLPushParser(source: XMLMemorySource(bytes, piece: piece), handler: replay, path: "f.xlsx",
                                                 part: "sheet.xml", maxTagBytes: 1 << 20)
                recorder.learn(takeOver)
                try drain(takeOver)
                return Reading(events: recorder.finish(), verdict: .read, handedOver: handOver.construct)
            } catch {
                return Reading(events: recorder.finish(), verdict: .refused((error as? XLSXError)?.reason ?? .cannotOpen("\(error)")),
                               handedOver: handOver.construct)
            }
        } catch {
            return Reading(events: recorder.finish(), verdict: .refused((error as? XLSXError)?.reason ?? .cannotOpen("\(error)")))
        }
    }

    static let sheet = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
        + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:x14ac="urn:x14ac">"#
        + #"<dimension ref="A1:C3"/><sheetData>"#
        + #"<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2" t="inlineStr"><is><t xml:space="preserve"> Ann &amp; Bob </t></is></c></row>"#
        + "\n  <row r='2'>\n<c r=\"A2\" t=\"n\" ><v>13112345678</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>&#20320;&#x597D; 好 &lt;&gt;&quot;&apos;</t></is></c></row>"
        + #"<row r="3"><c r="A3" id="a&amp;b&#x41;"><v>1.5E3</v></c><c r="C3"/></row>"#
        + "</sheetData><pageMargins left=\"0.7\"/></worksheet>\n"

    @Test func aSheetAsExcelWritesItIsReadWithoutLibxml2AndAsLibxml2ReadsIt() {
        let bytes = Array(Self.sheet.utf8)
        let expected = Self.libxml2(bytes)
        #expect(expected.verdict == .read)
        for piece in [1, 2, 3, 7, 64, .max] {
            let read = Self.subsetFirst(bytes, piece: piece)
            #expect(read == expected, "pieces of \(piece) bytes: \(Self.difference(read, expected))")
            #expect(read.handedOver == nil, "pieces of \(piece) bytes: handed over \(read.handedOver ?? "")")
        }
        #expect(expected.events.contains("text  Ann & Bob "))
        // libxml2 leaves an `&` from a reference in an attribute escaped (for a tree builder to
        // parse again); the subset parser does the same.
        #expect(expected.events.contains("start c r=A3,id=a&#38;bA"))
    }

    /// Each of these is outside the subset: handed over to libxml2, which reads it (or refuses
    /// it) as it would have alone, with the events before it sent once.
    static let handedOver: [(String, String)] = [
        ("a comment", "<a><b>x</b><!-- note --><b>y</b></a>"),
        ("CDATA", "<a><t><![CDATA[1 < 2]]></t></a>"),
        ("a processing instruction", "<a><b/><?php echo ?></a>"),
        ("a carriage return", "<a><t>one\r\ntwo</t></a>"),
        ("a tab in a value", "<a x=\"1\t2\"/>"),
        ("another encoding", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a><t>caf\u{E9}</t></a>"),
        ("a non-ASCII name", "<a><b\u{E9}>x</b\u{E9}></a>"),
        ("an undefined entity", "<a><t>&nbsp;</t></a>"),
        ("an undeclared prefix", "<a><p:b>x</p:b></a>"),
        ("a mismatched end tag", "<a><b>x</c></a>"),
        ("a duplicate attribute", "<a><c r=\"A1\" r=\"A2\"/></a>"),
        ("a < in a value", "<a><c r=\"<\"/></a>"),
        ("attributes run together", "<a><c r=\"A1\"s=\"1\"/></a>"),
        ("]]> in text", "<a><t>x]]>y</t></a>"),
        ("a reference to no character", "<a><t>&#0;</t></a>"),
        ("text after the root", "<a/>x"),
        ("an unclosed root", "<a><b>x</b>"),
        ("an unquoted value", "<a><c r=A1/></a>"),
        ("version 1.1", "<?xml version=\"1.1\"?><a/>"),
        ("a control character", "<a><t>\u{1}</t></a>"),
        ("xmlns:xml redeclared", "<a xmlns:xml=\"urn:other\"/>"),
        ("two prefixes for one attribute", "<a xmlns:p=\"urn:x\" xmlns:q=\"urn:x\"><b p:r=\"1\" q:r=\"2\"/></a>"),
    ]

    @Test(arguments: handedOver)
    func whatTheSubsetDoesNotReadLibxml2Decides(_ construct: String, _ document: String) {
        let bytes = Array(document.utf8)
        let expected = Self.libxml2(bytes)
        for piece in [1, 5, .max] {
            let read = Self.subsetFirst(bytes, piece: piece)
            #expect(read == expected, "\(construct), pieces of \(piece) bytes: \(Self.difference(read, expected))")
            #expect(read.handedOver != nil, "\(construct) was read by the subset parser")
        }
    }

    @Test func nestingPastTheLimitIsHandedOverAndRefusedByTheDepthCheck() {
        let document = String(repeating: "<a>", count: XMLPushParser.maxDepth + 1) + String(repeating: "</a>", count: XMLPushParser.maxDepth + 1)
        let read = Self.subsetFirst(Array(document.utf8))
        #expect(read == Self.libxml2(Array(document.utf8)))
        #expect(read.handedOver == "nesting past the depth limit")
        guard case .refused(.malformedXML(_, let detail)) = read.verdict else {
            Issue.record("not refused: \(read.verdict)")
            return
        }
        #expect(detail == "elements are nested more than 256 deep")
    }

    /// Seeded random damage to a real sheet: whatever the damage, the two readings agree.
    @Test func damagedSheetsReadTheSameEitherWay() {
        var generator = SplitMix(seed: 20261201)
        let base = Array(Self.sheet.utf8)
        let alphabet = Array("<>&;\"'=/!?-[] \n\r\tax0:#".utf8) + [0xC3, 0xA9, 0xFF, 0x00, 0xE5]
        var handedOver = 0
        for round in 0..<600 {
            var bytes = base
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                let byte = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                switch generator.next() % 3 {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                default: bytes.remove(at: position)
                }
            }
            let piece = [1, 13, .max][round % 3]
            let expected = Self.libxml2(bytes, piece: piece)
            let read = Self.subsetFirst(bytes, piece: piece)
            #expect(read == expected, "round \(round): \(Self.difference(read, expected)) in \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if read.handedOver != nil { handedOver += 1 }
        }
        #expect(handedOver > 100, "the damage reached the hand-over: \(handedOver) of 600")
    }
}

/// A small deterministic generator for the damage.
private struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
