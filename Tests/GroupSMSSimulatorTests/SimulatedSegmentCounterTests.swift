import Testing
@testable import GroupSMSSimulator

@Suite("Simulated platform: segment count")
struct SimulatedSegmentCounterTests {
    private func count(_ text: String, mainland: Bool = false, signature: String? = nil) -> SimulatedSegmentCounter.Count {
        SimulatedSegmentCounter.count(content: text, toMainland: mainland, signature: signature)
    }

    private func a(_ count: Int) -> String { String(repeating: "a", count: count) }

    @Test(arguments: [(160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)])
    func gsm7(length: Int, segments: Int) {
        #expect(count(a(length)) == .init(encoding: "GSM-7", units: length, segments: segments))
    }

    @Test func extensionCharacters() {
        #expect(count(a(159) + "|") == .init(encoding: "GSM-7", units: 161, segments: 2))
        #expect(count(a(152) + "~" + a(152)).segments == 3)
    }

    @Test(arguments: [(70, 1), (71, 2), (134, 2), (135, 3)])
    func ucs2(length: Int, segments: Int) {
        #expect(count(String(repeating: "é", count: 1) + String(repeating: "ж", count: length - 1))
            == .init(encoding: "UCS-2", units: length, segments: segments))
    }

    @Test func mainlandWithSignature() {
        #expect(count(a(63), mainland: true, signature: "HUAWEI") == .init(encoding: "mainland", units: 71, segments: 2))
        #expect(count(a(62), mainland: true, signature: "HUAWEI").segments == 1)
        #expect(count(a(69) + "😀", mainland: true) == .init(encoding: "mainland", units: 71, segments: 2))
    }
}
