import GroupSMSModel
import GroupSMSSimulator
import Testing

/// The product's estimate and the simulated platform are written apart; here they must agree.
@Suite("Product and simulated platform agree")
struct ProductAgreementTests {
    private static func a(_ count: Int) -> String { String(repeating: "a", count: count) }
    private static func zh(_ count: Int) -> String { String(repeating: "中", count: count) }

    static let samples: [String] = [
        "", "Hello", a(160), a(161), a(306), a(307), a(459), a(460),
        a(158) + "€", a(159) + "€", a(152) + "[" + a(152), a(151) + "]" + a(153), "^€{}[]~\\|\u{0C}",
        "Line\r\nbreak\n", "tab\there", "back`tick", "Ça coûte 5€", "It’s “quoted” – ok…",
        zh(70), zh(71), zh(134), zh(135), a(69) + "😀", a(68) + "😀", zh(66) + "😀" + zh(66),
        "👍🏽 family 👨‍👩‍👧", "Cafe\u{0301}", "ÄÖÜäöüß àèéìòù ΔΦΓΛΩΠΨΣΘΞ ¡¿§¤£¥",
        "Verification code: 123456. Valid for 5 minutes.", "您的验证码是123456，5分钟内有效。",
    ]

    private func productCount(_ text: String, mainland: Bool, signature: String?) throws -> (String, Int, Int) {
        let region: MessageRegion = mainland ? .mainland : .international
        let name = try signature.map { try SignatureName($0) }
        let count = SegmentCounter.count(SegmentCounter.message(content: text, region: region, signature: name), region: region)
        return (count.encoding.rawValue, count.units, count.segments)
    }

    private func simulatorCount(_ text: String, mainland: Bool, signature: String?) -> (String, Int, Int) {
        let count = SimulatedSegmentCounter.count(content: text, toMainland: mainland, signature: signature)
        return (count.encoding, count.units, count.segments)
    }

    @Test(arguments: samples)
    func segmentCountsAgree(text: String) throws {
        for (mainland, signature) in [(false, nil), (true, nil), (true, "HUAWEI"), (true, "华为云")] as [(Bool, String?)] {
            #expect(try productCount(text, mainland: mainland, signature: signature) ==
                simulatorCount(text, mainland: mainland, signature: signature))
        }
    }

    /// Every scalar of the first planes alone in a message: the two GSM-7 tables are the same.
    @Test func gsm7TablesAgreeScalarByScalar() throws {
        for value in UInt32(0)...0x33FF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar)
            #expect(try productCount(text, mainland: false, signature: nil) == simulatorCount(text, mainland: false, signature: nil),
                    "U+\(String(value, radix: 16))")
        }
    }

    /// Deterministic pseudo-random texts mixing basic, extension, UCS-2 and non-BMP characters.
    @Test func randomTextsAgree() throws {
        let gsmPool: [String] = ["a", "Z", "0", " ", "@", "é", "\n", "€", "{", "|", "~"]
        let anyPool = gsmPool + ["中", "’", "😀", "ж", "\u{2126}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<2_000 {
            let pool = next(2) == 0 ? gsmPool : anyPool
            let text = (0..<next(500)).map { _ in pool[next(pool.count)] }.joined()
            for mainland in [false, true] {
                #expect(try productCount(text, mainland: mainland, signature: "Acme") ==
                    simulatorCount(text, mainland: mainland, signature: "Acme"))
            }
        }
    }

    static let parameterCases: [(String, [String])] = [
        ("Code ${NUM_6}", ["123456"]), ("Code ${NUM_6}", ["1234567"]), ("Code ${NUM_6}", ["12a"]),
        ("Code ${NUM_6}", []), ("Code ${NUM_6}", ["1", "2"]), ("Code ${NUM_6}", [""]),
        ("Hi ${TXT_5}", ["Zoë"]), ("Hi ${TXT_5}", ["人民公园门"]), ("Hi ${TXT_5}", ["abcdef"]), ("Hi ${TXT_5}", ["a{b"]),
        ("Hi ${TXT_5}", ["😀😀😀😀😀"]), ("On ${DATE}", ["2017/7/1"]), ("On ${DATE}", ["2024/02/29"]),
        ("On ${DATE}", ["2025/02/29"]), ("On ${DATE}", ["2026/13/01"]), ("On ${DATE}", ["2026-01-01"]),
        ("On ${DATE}", ["2026/001/01"]), ("At ${TIME}", ["14:30"]), ("At ${TIME}", ["14:30:30"]),
        ("At ${TIME}", ["24:00"]), ("At ${TIME}", ["7:30"]), ("At ${TIME}", ["14:30:61"]),
        ("Plain", []), ("Plain", ["x"]),
        ("${TXT_3}${NUM_2} ${DATE} ${TIME}", ["abc", "12", "2026/7/16", "08:00"]),
    ]

    @Test(arguments: parameterCases)
    func parameterChecksAgree(template: String, values: [String]) throws {
        let product = try MessageTemplate(id: "T", text: template, kind: .notification, region: .international)
        let platform = try SimulatedTemplateRegistry(options: ["T=\(template)"])
        let productText = try? product.render(values)
        let verdict = platform.verify(templateID: "T", parameters: values)
        #expect(productText == verdict.text)
        #expect((productText != nil) == verdict.isAccepted)
    }

    /// The estimate's per-message count is what the platform counts for the rendered message.
    @Test func theEstimateMatchesThePlatformsCount() throws {
        let text = "Dear ${TXT_12}, your order ${NUM_8} ships on ${DATE} — track it at example.com/t"
        let product = try MessageTemplate(id: "T", text: text, kind: .notification, region: .international)
        let platform = try SimulatedTemplateRegistry(options: ["T=\(text)"])
        for values in [["Ann", "1", "2026/7/1"], ["Bartholomew", "12345678", "2026/12/31"]] {
            var builder = EstimateBuilder(content: .perRecipient(product), signature: nil, prices: nil)
            try builder.add(regionCode: "GB", values: values)
            let estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 0)
            let sent = try #require(platform.verify(templateID: "T", parameters: values).text)
            let counted = SimulatedSegmentCounter.count(content: sent, toMainland: false, signature: nil)
            #expect(estimate.segments == counted.segments)
            #expect(estimate.encoding?.rawValue == counted.encoding)
        }
    }
}
