import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Testing

@Suite("Journey experiment report")
struct JourneyAnalysisTests {
    static let journey = try! JourneyDefinition.parse(JSONValue.parse("""
        {"key": "cart", "name": "Cart", "trigger": {"event": "Product Added"}, "start": "split", "goal": {"event": "Order Completed"},
         "steps": {"split": {"type": "split", "arms": [{"name": "A", "weight": 45, "next": "m"}, {"name": "B", "weight": 45, "next": "m"},
                                                      {"name": "control", "weight": 10, "control": true}]},
                   "m": {"type": "message", "channel": "email", "template": "cart-email"}}}
        """))

    @Test("arms against the control arm, Holm-adjusted, with the sample ratio and lift over the held out")
    func report() throws {
        let sums = [
            JourneyArmSums(arm: "A", heldOut: false, enrolled: 4_500, converted: 540, revenue: 27_000, revenueSquares: 1_900_000),
            JourneyArmSums(arm: "B", heldOut: false, enrolled: 4_480, converted: 450, revenue: 22_400, revenueSquares: 1_560_000),
            JourneyArmSums(arm: "control", heldOut: true, enrolled: 1_020, converted: 92, revenue: 4_600, revenueSquares: 320_000),
        ]
        let r = JourneyAnalysis(definition: Self.journey, sums: sums, steps: [:], total: [:])
        #expect(r.arms.map(\.arm) == ["A", "B", "control"])
        #expect(r.comparisons.count == 4 && r.comparisons.allSatisfy { $0.baseline == "control" })
        let conversionA = try #require(r.comparisons.first { $0.arm == "A" && $0.metric == "conversion" })
        let direct = try ExperimentStatistics.frequentist(control: ExperimentArm(proportion: 92, of: 1_020), treatment: ExperimentArm(proportion: 540, of: 4_500))
        #expect(conversionA.frequentist == direct)
        #expect((conversionA.adjustedPValue ?? 0) >= (direct.relative.pValue ?? 1), "Holm never lowers a p-value")
        #expect(!conversionA.verdict.isEmpty)
        let srm = try MultipleTesting.sampleRatio(counts: [4_500, 4_480, 1_020], weights: [45, 45, 10])
        #expect(r.sampleRatio == srm.pValue && !r.sampleRatioWarning)
        let lift = try #require(r.lift)
        #expect(lift.treated == 8_980 && lift.heldOut == 1_020)
        #expect(abs((lift.incrementalConversions ?? 0) - (990.0 / 8_980 - 92.0 / 1_020) * 8_980) < 1e-6)
    }

    @Test("an empty arm gives a reason, never a NaN")
    func empty() {
        let r = JourneyAnalysis(definition: Self.journey, sums: [
            JourneyArmSums(arm: "A", heldOut: false, enrolled: 10, converted: 2, revenue: 50, revenueSquares: 900),
            JourneyArmSums(arm: "control", heldOut: true, enrolled: 1, converted: 0, revenue: 0, revenueSquares: 0),
        ], steps: [:], total: [:])
        #expect(r.comparisons.allSatisfy { $0.noResult != nil && $0.frequentist == nil })
    }
}

extension JourneyAnalysisTests {
    @Test("a journey that expects B to lower conversion is not told B beats A; two-sided it is")
    func statedDirection() throws {
        let sums = [JourneyArmSums(arm: "A", heldOut: false, enrolled: 5_000, converted: 500, revenue: 0, revenueSquares: 0),
                    JourneyArmSums(arm: "B", heldOut: false, enrolled: 5_000, converted: 650, revenue: 0, revenueSquares: 0)]
        func report(_ experiment: String) throws -> JourneyAnalysis {
            let definition = try JourneyDefinition.parse(JSONValue.parse("""
                {"key": "j", "name": "J", "trigger": {"event": "Product Added"}, "start": "split", "goal": {"event": "Order Completed"},
                 \(experiment)
                 "steps": {"split": {"type": "split", "arms": [{"name": "A", "weight": 50, "next": "m"}, {"name": "B", "weight": 50, "next": "m"}]},
                           "m": {"type": "message", "channel": "email", "template": "t"}}}
                """))
            return JourneyAnalysis(definition: definition, sums: sums, steps: [:], total: [:])
        }
        let two = try #require(try report("").comparisons.first { $0.metric == "conversion" })
        let less = try #require(try report(#""experiment": {"alternative": "less"},"#).comparisons.first { $0.metric == "conversion" })
        #expect(two.verdict.hasPrefix("B beats A"), "\(two.verdict)")
        #expect(!less.verdict.contains("beats") && less.verdict.contains("not shown it is below"), "\(less.verdict)")
        #expect(less.frequentist?.relative.alternative == .less && less.frequentist?.relative.lower == -.infinity)
        #expect(try report(#""experiment": {"alternative": "less"},"#).alternative == .less)
    }
}
