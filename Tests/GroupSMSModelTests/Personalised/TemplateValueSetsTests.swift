import Testing
@testable import GroupSMSModel

@Suite("Value tuples stored once (SPEC §7)")
struct TemplateValueSetsTests {
    @Test func identicalTuplesShareOneIndex() {
        var table = TemplateValueSets(arity: 2)
        let ann = table.intern(["Ann", "123456"])
        let bob = table.intern(["Bob", "654321"])
        #expect(table.intern(["Ann", "123456"]) == ann)
        #expect(ann != bob)
        #expect(table.count == 2)
        #expect(table.values(at: Int(ann)) == ["Ann", "123456"])
        #expect(table.values(at: Int(bob)) == ["Bob", "654321"])
        #expect(table.byteCount == 18)
    }

    @Test func valueBoundariesAreSignificant() {
        var table = TemplateValueSets(arity: 2)
        let first = table.intern(["ab", "c"])
        let second = table.intern(["a", "bc"])
        #expect(first != second)
        #expect(table.values(at: Int(second)) == ["a", "bc"])
    }

    @Test func emptyValuesAndNoVariables() {
        var table = TemplateValueSets(arity: 2)
        #expect(table.intern(["", ""]) == table.intern(["", ""]))
        #expect(table.intern(["", "x"]) != table.intern(["x", ""]))
        var none = TemplateValueSets(arity: 0)
        #expect(none.intern([]) == 0)
        #expect(none.intern([]) == 0)
        #expect(none.count == 1)
        #expect(none.values(at: 0) == [])
    }

    @Test func manyTuplesSurviveTheIndexGrowing() {
        var table = TemplateValueSets(arity: 3)
        var indices: [UInt32] = []
        for number in 0..<20_000 {
            indices.append(table.intern(["n\(number % 5_000)", "\(number % 5_000 * 7)", "日本\(number % 5_000)"]))
        }
        #expect(table.count == 5_000)
        for number in [0, 1, 4_999, 5_000, 12_345, 19_999] {
            #expect(indices[number] == indices[number % 5_000])
            #expect(table.values(at: Int(indices[number])) == ["n\(number % 5_000)", "\(number % 5_000 * 7)", "日本\(number % 5_000)"])
        }
    }

    @Test func tuplesGatheredFromBytesMatchStrings() {
        var table = TemplateValueSets(arity: 2)
        let index = table.intern(["Zoë", "7"])
        var tuple = TemplateValueTuple(arity: 2)
        for text in ["Zoë", "7"] {
            var copy = text
            copy.withUTF8 { tuple.append(utf8: $0) }
        }
        #expect(table.intern(tuple) == index)
        tuple.removeAll()
        tuple.append("Zoe")
        tuple.append("7")
        #expect(table.intern(tuple) != index)
        #expect(table.value(Int(index), 0) == "Zoë")
    }

    @Test func equalityComparesTuplesInOrder() {
        var left = TemplateValueSets(arity: 1)
        var right = TemplateValueSets(arity: 1)
        _ = left.intern(["a"]); _ = left.intern(["b"])
        _ = right.intern(["a"]); _ = right.intern(["b"]); _ = right.intern(["a"])
        #expect(left == right)
        _ = right.intern(["c"])
        #expect(left != right)
    }
}

@Suite("Value rules per recipient (same as --param)")
struct TemplateValueRulesTests {
    @Test func catalogueTemplateChecksEachVariable() throws {
        let rules = TemplateValueRules(template: try TemplateText("Hi ${TXT_5}, code ${NUM_6} on ${DATE} at ${TIME}"))
        #expect(rules.arity == 4)
        #expect(rules.misfit("Ann", at: 0) == nil)
        #expect(rules.misfit("1234567", at: 1)?.description == "parameter 2 \"1234567\" does not fit ${NUM_6}: at most 6 digits")
        #expect(rules.misfit("Annabel", at: 0)?.rule == .maxCharacters(5))
        #expect(rules.misfit("2026/02/30", at: 2)?.rule == .dayOfMonth(days: 28, month: 2, year: 2026))
        #expect(rules.misfit("24:00", at: 3)?.rule == .clockTime)
        #expect(rules.misfit("", at: 0)?.description == "parameter 1 \"\" does not fit ${TXT_5}: must not be empty")
    }

    @Test func theQuickByteCheckNeverPassesAMisfit() throws {
        let checked = TemplateValueRules(template: try TemplateText("${TXT_3} ${NUM_4} ${DATE} ${TIME}"))
        let unchecked = TemplateValueRules(uncheckedArity: 4)
        let values = ["", "a", "abc", "abcd", "日本語", "日本語x", "😀😀😀", "😀😀😀😀", "{", "a}", "1", "1234", "12345", "12a",
                      "１２", "2026/07/16", "14:30", "e\u{301}ab"]
        for rules in [checked, unchecked] {
            for index in 0..<4 {
                for value in values {
                    var copy = value
                    let quick = copy.withUTF8 { rules.surelyFits(utf8: $0, at: index) }
                    if quick { #expect(rules.misfit(value, at: index) == nil, "\(value) at \(index)") }
                }
            }
        }
        var text = "日本語"
        #expect(text.withUTF8 { checked.surelyFits(utf8: $0, at: 0) }, "three scalars fit ${TXT_3}")
        var digits = "1234"
        #expect(digits.withUTF8 { checked.surelyFits(utf8: $0, at: 1) })
    }

    @Test func uncheckedTemplateKeepsTheUniversalRules() {
        let rules = TemplateValueRules(uncheckedArity: 2)
        #expect(rules.variable(0) == nil)
        #expect(rules.misfit("anything at all, however long it is", at: 0) == nil)
        #expect(rules.misfit("", at: 1)?.description == "parameter 2 \"\" cannot be sent: must not be empty")
        #expect(rules.misfit("a{b}", at: 0)?.description == "parameter 1 \"a{b}\" cannot be sent: must not contain { or }")
    }
}
