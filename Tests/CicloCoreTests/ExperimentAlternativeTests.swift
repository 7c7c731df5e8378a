import CicloCore
import Foundation
import Testing

/// Issue 18, point 4: the alternative a marketer states in advance decides the test's sides, as GrowthBook's engine does.
@Suite("Experiment alternatives")
struct ExperimentAlternativeTests {
    static let control = ExperimentArm(proportion: 100, of: 1_000)
    static let better = ExperimentArm(proportion: 125, of: 1_000)

    @Test("one-sided p-values are half the two-sided one in the stated direction and the rest in the other")
    func pValues() throws {
        let two = try ExperimentStatistics.frequentist(control: Self.control, treatment: Self.better).absolute
        let greater = try ExperimentStatistics.frequentist(control: Self.control, treatment: Self.better, alternative: .greater).absolute
        let less = try ExperimentStatistics.frequentist(control: Self.control, treatment: Self.better, alternative: .less).absolute
        let p = try #require(two.pValue), pg = try #require(greater.pValue), pl = try #require(less.pValue)
        #expect(abs(pg - p / 2) < 1e-12)
        #expect(abs(pl - (1 - p / 2)) < 1e-12)
        #expect(p > 0.05 && pg < 0.05, "a 2.5-point rise on 1,000 each: not significant two-sided (p = \(p)), significant as greater")
        // The bound on the tested side uses the 1 − α quantile; the other side is open.
        let q = Distributions.studentTQuantile(0.95, df: greater.degreesOfFreedom)
        #expect(abs(greater.lower - (greater.effect - q * greater.standardError)) < 1e-12 && greater.upper == .infinity)
        #expect(less.lower == -.infinity && less.upper > less.effect)
        #expect(greater.lower > two.lower, "one-sided bounds are tighter on their side")
    }

    @Test("one-sided tests hold their error rate: of 4,000 A/A tests, 5% ± 1% reject as greater (three standard deviations)")
    func calibration() throws {
        var random = SeededRandom(seed: 31)
        var rejections = 0
        for _ in 0..<4_000 {
            var a = ExperimentArm(mean: 0, sum: 0, sumSquares: 0), b = a
            for _ in 0..<200 {
                let x = 10 + random.normal(), y = 10 + random.normal()
                a.n += 1; a.sum += x; a.sumSquares += x * x
                b.n += 1; b.sum += y; b.sumSquares += y * y
            }
            if try ExperimentStatistics.frequentist(control: a, treatment: b, alternative: .greater).absolute.pValue! < 0.05 { rejections += 1 }
        }
        #expect((160...240).contains(rejections), "\(rejections) of 4,000")
    }

    @Test("JSON writes an open bound as null and reads it back; the compare API takes the alternative and refuses others")
    func json() throws {
        let greater = try ExperimentStatistics.frequentist(control: Self.control, treatment: Self.better, alternative: .greater)
        let data = try JSONEncoder().encode(greater)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""upper":null"#) && text.contains(#""alternative":"greater""#))
        #expect(try JSONDecoder().decode(ExperimentStatistics.Frequentist.self, from: data) == greater)

        let arms: JSONValue = ["arms": [["name": "A", "n": 1_000, "successes": 100], ["name": "B", "n": 1_000, "successes": 125]]]
        var body = arms
        if case .object(var o) = body { o["alternative"] = "less"; body = .object(o) }
        let out = try ExperimentCompare.run(body)
        #expect(out["alternative"] == "less")
        #expect(out["comparisons"]?.arrayValue?.first?["frequentist"]?["relative"]?["lower"] == .null)
        if case .object(var o) = arms {
            o["alternative"] = "bigger"
            #expect(throws: CicloError.self) { try ExperimentCompare.run(.object(o)) }
        }
    }

    @Test("a journey states its alternative; its report tests under it and never declares the other direction")
    func journeyPlan() throws {
        func journey(_ experiment: String) throws -> JourneyDefinition {
            try JourneyDefinition.parse(JSONValue.parse("""
                {"key": "j", "name": "J", "trigger": {"event": "Product Added"}, "start": "split", "goal": {"event": "Order Completed"},
                 \(experiment)
                 "steps": {"split": {"type": "split", "arms": [{"name": "A", "weight": 50, "next": "m"}, {"name": "B", "weight": 50, "next": "m"}]},
                           "m": {"type": "message", "channel": "email", "template": "t"}}}
                """))
        }
        let less = try journey(#""experiment": {"alternative": "less", "alpha": 0.05},"#)
        #expect(less.experiment == ExperimentPlan(alternative: .less, alpha: 0.05))
        #expect(try JourneyDefinition.parse(less.json) == less, "the plan round-trips through the document")
        #expect(throws: (any Error).self) { try journey(#""experiment": {"alternative": "sideways"},"#) }
        #expect(throws: (any Error).self) { try journey(#""experiment": {"alpha": 2},"#) }
        #expect(try journey("").experiment == ExperimentPlan())
    }
}
