import Testing
@testable import GroupSMSModel

@Suite("Template text parsing (FAQ 5.1)")
struct TemplateTextParsingTests {
    @Test func splitsLiteralsAndVariablesInOrder() throws {
        let text = try TemplateText("Code ${NUM_6} for ${TXT_20} on ${DATE} at ${TIME}.")
        #expect(text.variables.map(\.placeholder) == ["${NUM_6}", "${TXT_20}", "${DATE}", "${TIME}"])
        #expect(text.variables.map(\.position) == [6, 19, 32, 43])
        #expect(text.pieces.first == .literal("Code "))
        #expect(text.pieces.last == .literal("."))
        #expect(text.pieces.count == 9)
    }

    @Test func keepsLoneDollarAndBracesAsLiteralText() throws {
        let text = try TemplateText("Pay $5 {now} or $ {TXT_3}")
        #expect(text.variables.isEmpty)
        #expect(text.pieces == [.literal("Pay $5 {now} or $ {TXT_3}")])
    }

    @Test func acceptsAdjacentVariablesAndLengthBounds() throws {
        let text = try TemplateText("${TXT_1}${NUM_20}")
        #expect(text.variables.map(\.kind) == [.text(maxLength: 1), .number(maxDigits: 20)])
        #expect(text.pieces.count == 2)
    }

    @Test func maximumLengthsAreTheConsoleCount() throws {
        let text = try TemplateText("${TXT_7}${NUM_3}${DATE}${TIME}")
        #expect(text.variables.map(\.maximumLength) == [7, 3, 10, 8])
        #expect(text.worstCaseContent == "xxxxxxx9992026/12/3123:59:59")
    }

    @Test func refusesAnEmptyText() {
        #expect(throws: TemplateError.emptyTemplate) { try TemplateText("") }
        #expect(throws: TemplateError.emptyTemplate) { try TemplateText(" \n ") }
    }

    @Test func refusesMoreThan500Characters() throws {
        _ = try TemplateText(String(repeating: "a", count: 500))
        let error = #expect(throws: TemplateError.self) { try TemplateText(String(repeating: "a", count: 501)) }
        #expect(error == .templateTooLong(characters: 501, limit: 500))
        #expect(error?.description == "template text has 501 characters; the platform allows at most 500 (FAQ 5.1)")
    }

    @Test func refusesAnUnclosedPlaceholder() {
        let error = #expect(throws: TemplateError.self) { try TemplateText("Hi ${TXT_5 and more") }
        #expect(error == .unclosedPlaceholder(fragment: "${TXT_5 and ", position: 4))
        #expect(error?.description == "template text: \"${TXT_5 and \" at character 4 is not closed with }; " +
            "write variables as ${TXT_n} or ${NUM_n} (n 1 to 20), ${DATE} or ${TIME}")
    }

    @Test func anOpeningBeforeTheCloseMeansUnclosed() {
        #expect(throws: TemplateError.unclosedPlaceholder(fragment: "${TXT_5 ", position: 1)) {
            try TemplateText("${TXT_5 ${NUM_2}")
        }
        #expect(throws: TemplateError.unclosedPlaceholder(fragment: "${TXT_5", position: 1)) {
            try TemplateText("${TXT_5\n}")
        }
        #expect(throws: TemplateError.unclosedPlaceholder(fragment: "${", position: 3)) { try TemplateText("a ${") }
    }

    @Test(arguments: ["${FOO}", "${txt_5}", "${TXT_}", "${TXT_a}", "${}", "${ DATE}", "${DATE_1}", "${NUM_-1}"])
    func refusesUnknownPlaceholders(placeholder: String) {
        #expect(throws: TemplateError.unknownPlaceholder(placeholder: placeholder, position: 3)) {
            try TemplateText("x " + placeholder)
        }
    }

    @Test func unknownPlaceholderMessageNamesItAndItsPosition() {
        let error = #expect(throws: TemplateError.self) { try TemplateText("Hello ${NAME}") }
        #expect(error?.description == "template text: ${NAME} at character 7 is not a platform variable; " +
            "use ${TXT_n} or ${NUM_n} (n 1 to 20), ${DATE} or ${TIME}")
    }

    @Test(arguments: ["${TXT_0}", "${TXT_21}", "${NUM_0}", "${NUM_21}", "${NUM_05}", "${TXT_99999999999999999999}"])
    func refusesLengthsOutside1To20(placeholder: String) {
        #expect(throws: TemplateError.variableLengthOutOfRange(placeholder: placeholder, position: 1)) {
            try TemplateText(placeholder)
        }
    }

    @Test func lengthMessageSaysWhatToWrite() {
        let error = #expect(throws: TemplateError.self) { try TemplateText("ab${NUM_21}") }
        #expect(error?.description == "template text: ${NUM_21} at character 3 has a length outside 1 to 20; " +
            "write n as 1 to 20 without leading zeros")
    }

    @Test func acceptsTwentyVariablesAndRefusesTheTwentyFirst() throws {
        let twenty = String(repeating: "${NUM_1} ", count: 20)
        #expect(try TemplateText(twenty).variables.count == 20)
        let error = #expect(throws: TemplateError.self) { try TemplateText(twenty + "${TIME}") }
        #expect(error == .tooManyVariables(placeholder: "${TIME}", position: 181, limit: 20))
        #expect(error?.description == "template text: ${TIME} at character 181 is variable 21; " +
            "a template holds at most 20 variables (FAQ 5.1)")
    }

    @Test func positionsCountUnicodeScalars() throws {
        let text = try TemplateText("验证码👍${NUM_6}")
        #expect(text.variables.first?.position == 5)
    }
}
