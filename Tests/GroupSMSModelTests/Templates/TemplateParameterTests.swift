import Testing
@testable import GroupSMSModel

@Suite("Parameter checks (FAQ 5.1, API reference E200028)")
struct TemplateParameterTests {
    let id = "8ff55eac1d0b478ab3c06c3c6a492300"

    private func misfit(_ template: String, _ values: [String]) -> TemplateError? {
        do {
            try TemplateText(template).check(values, templateID: id)
            return nil
        } catch {
            return error
        }
    }

    @Test func countMismatchListsThePlaceholders() {
        let error = misfit("Hi ${TXT_20}, code ${NUM_6}", ["a", "1", "2"])
        #expect(error == .parameterCount(templateID: id, placeholders: ["${TXT_20}", "${NUM_6}"], given: 3))
        #expect(error?.description ==
            "template 8ff55eac1d0b478ab3c06c3c6a492300 has 2 variables (${TXT_20}, ${NUM_6}) but 3 parameters were given")
    }

    @Test func countMismatchSingularAndNone() {
        #expect(misfit("Code ${NUM_6}", [])?.description ==
            "template \(id) has 1 variable (${NUM_6}) but 0 parameters were given")
        #expect(misfit("No variables", ["x"])?.description ==
            "template \(id) has no variables but 1 parameter was given; send it without parameters")
        #expect(misfit("No variables", []) == nil)
    }

    @Test func numberTooLongHasTheDocumentedForm() {
        let error = misfit("${TXT_3} ${NUM_6}", ["abc", "1234567"])
        #expect(error == .parameterDoesNotFit(position: 2, value: "1234567", placeholder: "${NUM_6}", rule: .maxDigits(6)))
        #expect(error?.description == "parameter 2 \"1234567\" does not fit ${NUM_6}: at most 6 digits")
    }

    @Test(arguments: ["12a", "-12", "1 2", "１２", "1.5", "+1"])
    func numberTakesDigitsOnly(value: String) {
        #expect(misfit("${NUM_6}", [value]) ==
            .parameterDoesNotFit(position: 1, value: value, placeholder: "${NUM_6}", rule: .digitsOnly))
    }

    @Test func numberBoundaries() {
        #expect(misfit("${NUM_6}", ["123456"]) == nil)
        #expect(misfit("${NUM_6}", ["000000"]) == nil)
        #expect(misfit("${NUM_1}", ["12"])?.description == "parameter 1 \"12\" does not fit ${NUM_1}: at most 1 digit")
    }

    @Test func textLengthCountsUnicodeScalars() {
        #expect(misfit("${TXT_5}", ["abcde"]) == nil)
        #expect(misfit("${TXT_5}", ["人民公园门"]) == nil)
        #expect(misfit("${TXT_5}", ["abcdef"])?.description == "parameter 1 \"abcdef\" does not fit ${TXT_5}: at most 5 characters")
        #expect(misfit("${TXT_1}", ["ab"])?.description == "parameter 1 \"ab\" does not fit ${TXT_1}: at most 1 character")
    }

    @Test(arguments: ["${TXT_5}", "${NUM_5}", "${DATE}", "${TIME}"])
    func emptyValuesAreRefused(placeholder: String) {
        #expect(misfit(placeholder, [""])?.description == "parameter 1 \"\" does not fit \(placeholder): must not be empty")
    }

    @Test(arguments: ["a{b", "}", "{x}"])
    func bracesAreRefused(value: String) {
        #expect(misfit("${TXT_10}", [value]) ==
            .parameterDoesNotFit(position: 1, value: value, placeholder: "${TXT_10}", rule: .noBraces))
        #expect(misfit("${NUM_10}", [value])?.description.hasSuffix("must not contain { or }") == true)
    }

    @Test func valuesAreQuotedOnOneLine() {
        #expect(misfit("${TXT_2}", ["a\"b\nc\\"])?.description ==
            #"parameter 1 "a\"b\nc\\" does not fit ${TXT_2}: at most 2 characters"#)
    }

    @Test(arguments: ["2017/07/16", "2017/7/16", "2017/7/1", "2024/02/29", "2000/2/29", "2026/12/31", "0001/01/01"])
    func acceptsCalendarDates(value: String) {
        #expect(misfit("${DATE}", [value]) == nil)
    }

    @Test(arguments: ["2026-07-16", "26/07/16", "2026/007/16", "2026/07/016", "2026/07", "2026/07/16/1",
                      "2026/ 7/16", "0000/01/01", "２０２６/07/16", "2026/07/16 "])
    func refusesOtherDateForms(value: String) {
        #expect(misfit("${DATE}", [value]) ==
            .parameterDoesNotFit(position: 1, value: value, placeholder: "${DATE}", rule: .dateFormat))
    }

    @Test func refusesDaysThatDoNotExist() {
        #expect(misfit("${DATE}", ["2026/02/30"])?.description ==
            "parameter 1 \"2026/02/30\" does not fit ${DATE}: no such day: February 2026 has 28 days")
        #expect(misfit("${DATE}", ["1900/02/29"]).map { "\($0)" }?.hasSuffix("February 1900 has 28 days") == true)
        #expect(misfit("${DATE}", ["2026/04/31"]).map { "\($0)" }?.hasSuffix("April 2026 has 30 days") == true)
        #expect(misfit("${DATE}", ["2026/01/00"]).map { "\($0)" }?.hasSuffix("January 2026 has 31 days") == true)
        #expect(misfit("${DATE}", ["2026/13/01"])?.description ==
            "parameter 1 \"2026/13/01\" does not fit ${DATE}: the month must be 1 to 12")
        #expect(misfit("${DATE}", ["2026/0/01"]) ==
            .parameterDoesNotFit(position: 1, value: "2026/0/01", placeholder: "${DATE}", rule: .month))
    }

    @Test(arguments: ["14:30", "14:30:30", "00:00", "23:59:59", "09:05"])
    func acceptsClockTimes(value: String) {
        #expect(misfit("${TIME}", [value]) == nil)
    }

    @Test(arguments: ["9:30", "14:3", "1430", "14:30:", "14:30:30:00", "14.30", "14:30 ", "ab:cd"])
    func refusesOtherTimeForms(value: String) {
        #expect(misfit("${TIME}", [value])?.description ==
            "parameter 1 \"\(value)\" does not fit ${TIME}: a time written HH:mm or HH:mm:ss, e.g. 14:30 or 14:30:30")
    }

    @Test(arguments: ["24:00", "14:60", "14:30:60", "99:99"])
    func refusesTimesOffTheClock(value: String) {
        #expect(misfit("${TIME}", [value]) ==
            .parameterDoesNotFit(position: 1, value: value, placeholder: "${TIME}", rule: .clockTime))
    }

    @Test func reportsTheFirstMisfitInOrder() {
        let error = misfit("${TXT_2} ${NUM_2} ${DATE}", ["ok", "123", "2026/02/30"])
        #expect(error == .parameterDoesNotFit(position: 2, value: "123", placeholder: "${NUM_2}", rule: .maxDigits(2)))
    }

    @Test func rendersTheCheckedValues() throws {
        let template = try MessageTemplate(
            id: id, text: "Code ${NUM_6}, valid until ${TIME} on ${DATE}.", kind: .verification, region: .international)
        #expect(try template.render(["123456", "14:30", "2026/7/1"]) == "Code 123456, valid until 14:30 on 2026/7/1.")
        #expect(throws: TemplateError.self) { try template.render(["1234567", "14:30", "2026/7/1"]) }
    }
}
