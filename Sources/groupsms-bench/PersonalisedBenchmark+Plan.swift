import Foundation
import GroupSMSModel

/// `groupsms-bench personal`, part 2: interning, planning and assembling the requests of
/// 1,000,000 personalised numbers.
extension PersonalisedBenchmark {
    /// Shapes of 1,000,000 numbers' values for the planning benchmark.
    enum PlanShape: CaseIterable {
        case distinct, thousand, ten

        var name: String {
            switch self {
            case .distinct: "every tuple distinct"
            case .thousand: "1,000 distinct tuples"
            case .ten: "10 distinct tuples"
            }
        }

        var key: String { "\(self)" }

        /// Tuples for number `index`: a name and a 6-digit code.
        func values(_ index: Int, _ random: inout SeededRandom) -> [String] {
            let pick: Int = switch self {
            case .distinct: index
            case .thousand: Int(random.next() % 1_000)
            case .ten: Int(random.next() % 10)
            }
            return ["n\(pick % 997)", String(100_000 + pick % 900_000)]
        }
    }

    /// Times interning, planning and assembling for each shape; prints medians and a summary.
    func timePlans() throws {
        let count = 1_000_000
        for shape in PlanShape.allCases {
            var intern: [Double] = [], plan: [Double] = [], claim: [Double] = []
            var requests = 0, groups = 0
            for _ in 0..<planRuns {
                var random = SeededRandom(seed: 5)
                let tuples = (0..<count).map { shape.values($0, &random) }
                var table = TemplateValueSets(arity: 2)
                var indices: [UInt32] = []
                indices.reserveCapacity(count)
                intern.append(Self.milliseconds { for tuple in tuples { indices.append(table.intern(tuple)) } })
                var result: PersonalisedRequestPlan?
                plan.append(Self.milliseconds { result = PersonalisedRequestPlanner.plan(valueSets: indices, valueSetCount: table.count) })
                guard let result, result.order.count == count else { throw BenchmarkError("the plan lost numbers") }
                claim.append(Self.milliseconds { groups = Self.assembleEveryRequest(result, indices: indices, table: table) })
                requests = result.requestCount
            }
            print("summary \(shape.name): \(requests) requests, \(groups) groups")
            print("\(shape.key)_intern_ms \(Measurement.median(intern))")
            print("\(shape.key)_plan_ms \(Measurement.median(plan))")
            print("\(shape.key)_claim_ms \(Measurement.median(claim))")
        }
    }

    /// Replays the plan as the runner's claims would: each request's numbers in sending order into
    /// a `PersonalisedRequestBuilder`, then each group's values looked up once. Returns the groups.
    static func assembleEveryRequest(_ plan: PersonalisedRequestPlan, indices: [UInt32], table: TemplateValueSets) -> Int {
        var groups = 0
        var next = 0
        var checksum = 0
        while next < plan.order.count {
            var builder = PersonalisedRequestBuilder()
            while next < plan.order.count {
                let position = Int(plan.order[next])
                guard builder.add(Int64(position), valueSet: indices[position]) else { break }
                next += 1
            }
            for group in builder.groups { checksum &+= table.values(at: Int(group.valueSet)).count }
            groups += builder.groups.count
        }
        precondition(checksum > 0)
        return groups
    }
}
