import Testing
@testable import GroupSMSModel

@Suite("Grouping personalised numbers into batchSendDiffSms requests (SPEC §7)")
struct PersonalisedRequestPlannerTests {
    /// Checks the rules every plan keeps and returns its requests.
    private func checkedRequests(_ plan: PersonalisedRequestPlan, _ sets: [UInt32], lookahead: Int,
                                 sourceLocation: SourceLocation = #_sourceLocation) -> [[PersonalisedGroup]] {
        let requests = (0..<plan.requestCount).map(plan.request)
        var seen = [Bool](repeating: false, count: sets.count)
        var previousHead = -1
        for request in requests {
            let positions = request.flatMap(\.positions).map(Int.init)
            #expect(positions.count <= 500, "a request holds at most 500 numbers", sourceLocation: sourceLocation)
            #expect(request.count <= 100, "a request holds at most 100 groups", sourceLocation: sourceLocation)
            #expect(Set(request.map(\.valueSet)).count == request.count, "one group per tuple", sourceLocation: sourceLocation)
            for group in request {
                #expect(group.positions.allSatisfy { sets[Int($0)] == group.valueSet }, sourceLocation: sourceLocation)
            }
            let head = positions.min() ?? 0
            #expect(head > previousHead, "requests follow the file", sourceLocation: sourceLocation)
            #expect(positions.allSatisfy { $0 < head + lookahead }, sourceLocation: sourceLocation)
            previousHead = head
            for position in positions {
                #expect(!seen[position], "position \(position) planned twice", sourceLocation: sourceLocation)
                seen[position] = true
            }
        }
        #expect(seen.allSatisfy { $0 }, "every number planned", sourceLocation: sourceLocation)
        return requests
    }

    @Test func identicalValuesShareOneGroupUpTo500() {
        let sets = [UInt32](repeating: 0, count: 1_234)
        let plan = PersonalisedRequestPlanner.plan(valueSets: sets, valueSetCount: 1)
        let requests = checkedRequests(plan, sets, lookahead: PersonalisedRequestPlanner.defaultLookahead)
        #expect(requests.map { $0.count } == [1, 1, 1])
        #expect(requests.map { $0[0].positions.count } == [500, 500, 234])
        #expect(plan.order == (0..<1_234).map(UInt32.init), "nothing reordered")
    }

    @Test func distinctValuesMakeRequestsOf100Groups() {
        let sets = (0..<250).map(UInt32.init)
        let plan = PersonalisedRequestPlanner.plan(valueSets: sets, valueSetCount: 250)
        let requests = checkedRequests(plan, sets, lookahead: PersonalisedRequestPlanner.defaultLookahead)
        #expect(requests.map { $0.count } == [100, 100, 50])
        #expect(requests.allSatisfy { $0.allSatisfy { $0.positions.count == 1 } })
        #expect(plan.order == (0..<250).map(UInt32.init))
    }

    @Test func laterNumbersWithTheSameValuesJoinTheirGroup() {
        // Rows: A B A C B A → groups A{0,2,5} B{1,4} C{3} in one request.
        let sets: [UInt32] = [0, 1, 0, 2, 1, 0]
        let plan = PersonalisedRequestPlanner.plan(valueSets: sets, valueSetCount: 3)
        let requests = checkedRequests(plan, sets, lookahead: 10)
        #expect(requests.count == 1)
        #expect(requests[0] == [
            PersonalisedGroup(valueSet: 0, positions: [0, 2, 5]),
            PersonalisedGroup(valueSet: 1, positions: [1, 4]),
            PersonalisedGroup(valueSet: 2, positions: [3]),
        ])
        #expect(plan.sendRanks() == [0, 3, 1, 5, 4, 2])
    }

    @Test func mergingStopsAtTheLookahead() {
        // Tuple 0 at positions 0 and 5; with a lookahead of 4 the second stays for a later request.
        let sets: [UInt32] = [0, 1, 2, 3, 4, 0]
        let plan = PersonalisedRequestPlanner.plan(valueSets: sets, valueSetCount: 5, maxGroups: 2, lookahead: 4)
        let requests = checkedRequests(plan, sets, lookahead: 4)
        #expect(requests.map { $0.map(\.positions) } == [[[0], [1]], [[2], [3]], [[4], [5]]])
    }

    @Test func aFullGroupClosesTheRequest() {
        // 600 numbers of tuple 0 interleaved with a few others: the first request fills with 500.
        var sets: [UInt32] = []
        for index in 0..<700 { sets.append(index % 7 == 3 ? 1 : 0) }
        let plan = PersonalisedRequestPlanner.plan(valueSets: sets, valueSetCount: 2)
        let requests = checkedRequests(plan, sets, lookahead: PersonalisedRequestPlanner.defaultLookahead)
        #expect(requests[0].count == 1 && requests[0][0].positions.count == 500)
        #expect(requests.dropFirst().flatMap { $0 }.map(\.positions.count).reduce(0, +) == 200)
    }

    @Test(arguments: [1, 7, 60, 400, 5_000])
    func randomJobsKeepEveryRule(distinctTuples: Int) {
        var random = SeededRandom(seed: UInt64(distinctTuples))
        let sets = (0..<20_000).map { _ in UInt32(random.next() % UInt64(distinctTuples)) }
        let lookahead = 2_000
        let plan = PersonalisedRequestPlanner.plan(valueSets: sets, valueSetCount: distinctTuples, lookahead: lookahead)
        let requests = checkedRequests(plan, sets, lookahead: lookahead)
        if distinctTuples <= 100 {
            #expect(requests.dropLast().allSatisfy { $0.flatMap(\.positions).count == 500 }, "few tuples fill every request")
        }
    }

    @Test func emptyJobPlansNothing() {
        let plan = PersonalisedRequestPlanner.plan(valueSets: [], valueSetCount: 0)
        #expect(plan.requestCount == 0 && plan.order.isEmpty)
    }
}

@Suite("One claimed request within the limits")
struct PersonalisedRequestBuilderTests {
    @Test func groupsByTupleInOrderOfFirstMember() {
        var builder = PersonalisedRequestBuilder()
        let added = [(10, 3), (11, 1), (12, 3), (13, 2)].map { builder.add(Int64($0.0), valueSet: UInt32($0.1)) }
        #expect(added == [true, true, true, true])
        #expect(builder.groups.map(\.valueSet) == [3, 1, 2])
        #expect(builder.groups.map(\.members) == [[10, 12], [11], [13]])
        #expect(builder.count == 4)
    }

    @Test func refusesThe501stNumber() {
        var builder = PersonalisedRequestBuilder()
        let added = (0..<500).map { builder.add(Int64($0), valueSet: UInt32($0 % 3)) }
        #expect(added.allSatisfy { $0 } && builder.isFull)
        let extra = builder.add(500, valueSet: 0)
        #expect(!extra)
        #expect(builder.count == 500)
    }

    @Test func refusesThe101stGroupButNotAnotherMember() {
        var builder = PersonalisedRequestBuilder()
        let added = (0..<100).map { builder.add(Int64($0), valueSet: UInt32($0)) }
        #expect(added.allSatisfy { $0 })
        #expect(!builder.accepts(valueSet: 100))
        let newGroup = builder.add(100, valueSet: 100)
        #expect(!newGroup)
        let member = builder.add(101, valueSet: 42)
        #expect(member, "an open group still takes members")
        #expect(builder.groups.count == 100 && builder.count == 101)
    }

    @Test func theContentStaysUnder64KB() {
        // 100 tuples of 20 values of 20 Chinese characters (60 bytes each): about 1.3 KB a group.
        let paras = (0..<20).map { _ in String(repeating: "中", count: 20) }
        let groupBytes = PersonalisedContentSize.group(templateID: "tmplParcel", paras: paras, signature: "ACME")
        #expect(groupBytes == 1_332)
        // "[" + k groups of one number each (17 bytes) + k - 1 commas + "]" must stay within 65,535.
        let fitting = (65_535 - 2 + 1) / (groupBytes + 17 + 1)
        var builder = PersonalisedRequestBuilder()
        var added = 0
        for id in 0..<100 where builder.add(Int64(id), valueSet: UInt32(id), numberBytes: PersonalisedContentSize.number("+8613112345678"),
                                            groupBytes: { groupBytes }) {
            added += 1
        }
        #expect(fitting == 48 && added == fitting && builder.groups.count == fitting, "the next group would pass 64 KB")
        #expect(builder.contentBytes <= PersonalisedRequestBuilder.maximumContentBytes)
        let member = builder.add(200, valueSet: 3, numberBytes: 17) { groupBytes }
        #expect(member, "a number of an open group still fits")
    }

    @Test func contentSizesAreUpperBoundsOfTheJSON() {
        #expect(PersonalisedContentSize.quoted("ab") == 4)
        #expect(PersonalisedContentSize.quoted("a\"b\\") == 8)
        #expect(PersonalisedContentSize.quoted("\u{1}") == 8)
        #expect(PersonalisedContentSize.quoted("中") == 5)
        let json = #"{"to":[],"templateId":"T","templateParas":["a","b"],"signature":"S"}"#
        #expect(PersonalisedContentSize.group(templateID: "T", paras: ["a", "b"], signature: "S") == json.utf8.count)
        #expect(PersonalisedContentSize.group(templateID: "T", paras: [], signature: nil) == #"{"to":[],"templateId":"T"}"#.utf8.count)
    }

    @Test func aLowerRateMakesSmallerRequests() {
        var builder = PersonalisedRequestBuilder(maxNumbers: 3)
        let added = [(1, 0), (2, 0), (3, 1), (4, 0)].map { builder.add(Int64($0.0), valueSet: UInt32($0.1)) }
        #expect(added == [true, true, true, false])
    }
}
