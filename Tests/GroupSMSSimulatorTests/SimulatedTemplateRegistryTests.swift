import Testing
@testable import GroupSMSSimulator

@Suite("Simulated platform: template registry")
struct SimulatedTemplateRegistryTests {
    private let file = """
        # templates approved for the demo
        code01=Your code is ${NUM_6}. It expires at ${TIME}.
          # indented comment

        parcel=Hi ${TXT_10}, parcel ${NUM_4} arrives ${DATE}.\r
        plain=No variables = none
        """

    private func registry() throws -> SimulatedTemplateRegistry {
        try SimulatedTemplateRegistry(options: ["opt1=Hello ${TXT_5}"], fileContents: file, fileName: "t.txt")
    }

    @Test func readsOptionsAndFileEntries() throws {
        let templates = try registry()
        #expect(templates.ids == ["code01", "opt1", "parcel", "plain"])
        #expect(templates.template(id: "parcel")?.slots == [.txt(10), .num(4), .date])
        #expect(templates.template(id: "parcel")?.text == "Hi ${TXT_10}, parcel ${NUM_4} arrives ${DATE}.")
        #expect(templates.template(id: "plain")?.text == "No variables = none")
        #expect(templates.template(id: "plain")?.slots == [])
    }

    @Test func refusesEntriesThePlatformCouldNotHold() {
        #expect(throws: SimulatedTemplateError.missingSeparator(origin: "--template #1")) {
            try SimulatedTemplateRegistry(options: ["no separator"])
        }
        #expect(throws: SimulatedTemplateError.invalidID(origin: "--template #1", id: "")) {
            try SimulatedTemplateRegistry(options: ["=text"])
        }
        #expect(throws: SimulatedTemplateError.invalidID(origin: "--template #1", id: "a b")) {
            try SimulatedTemplateRegistry(options: ["a b=text"])
        }
        let long = String(repeating: "f", count: 33)
        #expect(throws: SimulatedTemplateError.invalidID(origin: "--template #1", id: long)) {
            try SimulatedTemplateRegistry(options: ["\(long)=text"])
        }
        #expect(throws: SimulatedTemplateError.duplicateID(origin: "f line 2", id: "a")) {
            try SimulatedTemplateRegistry(options: [], fileContents: "a=x\na=y", fileName: "f")
        }
    }

    @Test(arguments: ["${FOO}", "${TXT_0}", "${TXT_21}", "${NUM_05}", "${txt_5}", "open ${TXT_5", "", "  "])
    func refusesTextsThePlatformWouldNotApprove(text: String) {
        #expect(throws: SimulatedTemplateError.self) { try SimulatedTemplateRegistry(options: ["t=\(text)"]) }
    }

    @Test func refusesMoreThanTwentyVariables() throws {
        _ = try SimulatedTemplateRegistry(options: ["t=" + String(repeating: "${NUM_1} ", count: 20)])
        let error = #expect(throws: SimulatedTemplateError.self) {
            try SimulatedTemplateRegistry(options: ["t=" + String(repeating: "${NUM_1} ", count: 21)])
        }
        #expect(error?.description == "--template #1: template t: more than 20 variables")
    }

    @Test func anUnknownTemplateIsNotActivated() throws {
        let verdict = try registry().verify(templateID: "nope", parameters: ["1"])
        #expect(verdict.code == "E200030")
        #expect(verdict.description == "The template is not activated. (template nope is not registered)")
        #expect(!verdict.failsRequest)
    }

    @Test func acceptsFittingValuesAndRendersTheText() throws {
        let verdict = try registry().verify(templateID: "parcel", parameters: ["Gate 3", "1234", "2026/7/1"])
        #expect(verdict.isAccepted)
        #expect(verdict.text == "Hi Gate 3, parcel 1234 arrives 2026/7/1.")
        #expect(try registry().verify(templateID: "plain", parameters: nil).text == "No variables = none")
        #expect(try registry().verify(templateID: "plain", parameters: []).isAccepted)
    }

    @Test func aWrongCountIsE200028() throws {
        let templates = try registry()
        #expect(templates.verify(templateID: "code01", parameters: ["123456"]).code == "E200028")
        #expect(templates.verify(templateID: "code01", parameters: nil).code == "E200028")
        #expect(templates.verify(templateID: "plain", parameters: ["x"]).code == "E200028")
    }

    @Test(arguments: [
        ["1234567", "14:30"], ["12a456", "14:30"], ["", "14:30"], ["123456", "24:00"], ["123456", "9:30"],
        ["123456", "14:30:60"],
    ])
    func aValueThatDoesNotFitIsE200028(values: [String]) throws {
        let verdict = try registry().verify(templateID: "code01", parameters: values)
        #expect(verdict.code == "E200028")
        #expect(verdict.description.hasPrefix("The template variable verification failed."))
    }

    @Test(arguments: ["2026/02/30", "2026/13/1", "2026-07-01", "26/7/1", "0000/01/01"])
    func datesMustExist(date: String) throws {
        #expect(try registry().verify(templateID: "parcel", parameters: ["x", "1", date]).code == "E200028")
    }

    @Test func aBraceFailsTheRequestWithE000503() throws {
        let verdict = try registry().verify(templateID: "opt1", parameters: ["{x}"])
        #expect(verdict.code == "E000503")
        #expect(verdict.failsRequest)
    }

    @Test func textLengthCountsUnicodeScalars() throws {
        let templates = try registry()
        #expect(templates.verify(templateID: "opt1", parameters: ["人民公园门"]).isAccepted)
        #expect(templates.verify(templateID: "opt1", parameters: ["abcdef"]).code == "E200028")
    }
}
