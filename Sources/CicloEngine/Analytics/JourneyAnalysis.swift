import CicloCore
import CicloStore
import Foundation

/// A journey's report: message KPIs by step and arm, each arm against the baseline with sound statistics, the
/// sample-ratio check, and lift against the people held out of its messages.
public struct JourneyAnalysis: Sendable, Codable {
    public struct Arm: Sendable, Codable {
        public var arm: String
        public var enrolled: Int
        public var converted: Int
        public var conversionRate: Double?
        public var revenue: Double
        public var revenuePerRecipient: Double?
    }

    public struct Comparison: Sendable, Codable {
        public var arm: String
        public var baseline: String
        public var metric: String
        public var frequentist: ExperimentStatistics.Frequentist?
        public var bayesian: ExperimentStatistics.Bayesian?
        /// Holm-adjusted across every comparison of the journey.
        public var adjustedPValue: Double?
        public var noResult: String?
        public var verdict: String
    }

    public struct Lift: Sendable, Codable {
        public var treated: Int
        public var heldOut: Int
        public var treatedConversionRate: Double
        public var heldOutConversionRate: Double
        public var conversion: EffectEstimate?
        public var revenuePerPerson: EffectEstimate?
        public var incrementalConversions: Double?
        public var incrementalRevenue: Double?
        public var noResult: String?
    }

    public var journey: String
    /// The hypothesis stated with the journey, which every comparison and the lift are tested under.
    public var alternative: ExperimentAlternative = .twoSided
    public var arms: [Arm]
    public var comparisons: [Comparison]
    public var sampleRatio: Double?
    public var sampleRatioWarning: Bool
    public var lift: Lift?
    public var steps: [String: MessageKPIs]
    public var messages: MessageKPIs

    /// Builds the report from the arm sums (in the period) and the message rollups.
    public init(definition: JourneyDefinition, sums: [JourneyArmSums], steps: [String: [String: Double]], total: [String: Double]) {
        journey = definition.key
        self.steps = steps.mapValues(MessageKPIs.init)
        messages = MessageKPIs(total)
        var byArm: [String: JourneyArmSums] = [:]
        for s in sums {
            var a = byArm[s.arm] ?? JourneyArmSums(arm: s.arm, heldOut: false, enrolled: 0, converted: 0, revenue: 0, revenueSquares: 0)
            a.enrolled += s.enrolled; a.converted += s.converted; a.revenue += s.revenue; a.revenueSquares += s.revenueSquares
            byArm[s.arm] = a
        }
        let splitArms = definition.steps.values.compactMap { step -> [SplitArm]? in
            if case .split(let arms) = step.action { return arms }
            return nil
        }.first ?? []
        let order = splitArms.map(\.name) + byArm.keys.sorted().filter { name in !splitArms.contains { $0.name == name } }
        arms = order.compactMap { byArm[$0] }.map { a in
            Arm(arm: a.arm.isEmpty ? "all" : a.arm, enrolled: Int(a.enrolled), converted: Int(a.converted),
                conversionRate: a.enrolled > 0 ? a.converted / a.enrolled : nil, revenue: a.revenue,
                revenuePerRecipient: a.enrolled > 0 ? a.revenue / a.enrolled : nil)
        }
        // Each arm against the control arm, or the first arm when none is a control.
        var comparisons: [Comparison] = []
        let plan = definition.experiment
        alternative = plan.alternative
        let baselineName = splitArms.first { $0.control }?.name ?? order.first
        if let baselineName, let baseline = byArm[baselineName], byArm.count > 1 {
            for name in order where name != baselineName {
                guard let arm = byArm[name] else { continue }
                for metric in ["conversion", "revenue per recipient"] {
                    let (c, t) = metric == "conversion"
                        ? (ExperimentArm(name: baselineName, proportion: baseline.converted, of: baseline.enrolled), ExperimentArm(name: name, proportion: arm.converted, of: arm.enrolled))
                        : (ExperimentArm(name: baselineName, mean: baseline.enrolled, sum: baseline.revenue, sumSquares: baseline.revenueSquares),
                           ExperimentArm(name: name, mean: arm.enrolled, sum: arm.revenue, sumSquares: arm.revenueSquares))
                    do {
                        let f = try ExperimentStatistics.frequentist(control: c, treatment: t, alpha: plan.alpha, alternative: plan.alternative)
                        let b = try ExperimentStatistics.bayesian(control: c, treatment: t)
                        comparisons.append(Comparison(arm: name, baseline: baselineName, metric: metric, frequentist: f, bayesian: b, adjustedPValue: nil,
                                                      noResult: nil, verdict: ""))
                    } catch let none as NoResult {
                        comparisons.append(Comparison(arm: name, baseline: baselineName, metric: metric, frequentist: nil, bayesian: nil, adjustedPValue: nil,
                                                      noResult: none.reason, verdict: "No result yet: \(none.reason)."))
                    } catch {}
                }
            }
            let indexed = comparisons.indices.filter { comparisons[$0].frequentist?.relative.pValue != nil }
            let adjusted = MultipleTesting.holm(indexed.map { comparisons[$0].frequentist!.relative.pValue! })
            for (i, p) in zip(indexed, adjusted) {
                comparisons[i].adjustedPValue = p
                comparisons[i].verdict = Self.verdict(comparisons[i], plan: plan, c: baseline, t: byArm[comparisons[i].arm]!)
            }
        }
        self.comparisons = comparisons
        let weights = order.map { name in splitArms.first { $0.name == name }?.weight ?? 0 }
        if splitArms.count > 1, let srm = try? MultipleTesting.sampleRatio(counts: order.map { byArm[$0]?.enrolled ?? 0 }, weights: weights) {
            (sampleRatio, sampleRatioWarning) = (srm.pValue, srm.warn)
        } else {
            (sampleRatio, sampleRatioWarning) = (nil, false)
        }
        lift = Self.lift(sums, plan: plan)
    }

    /// Treated against held out (the global control group and control arms), over everyone in the journey.
    static func lift(_ sums: [JourneyArmSums], plan: ExperimentPlan) -> Lift? {
        func total(_ held: Bool) -> JourneyArmSums {
            sums.filter { $0.heldOut == held }.reduce(JourneyArmSums(arm: "", heldOut: held, enrolled: 0, converted: 0, revenue: 0, revenueSquares: 0)) {
                JourneyArmSums(arm: "", heldOut: held, enrolled: $0.enrolled + $1.enrolled, converted: $0.converted + $1.converted,
                               revenue: $0.revenue + $1.revenue, revenueSquares: $0.revenueSquares + $1.revenueSquares)
            }
        }
        let treated = total(false), held = total(true)
        guard held.enrolled > 0, treated.enrolled > 0 else { return nil }
        var lift = Lift(treated: Int(treated.enrolled), heldOut: Int(held.enrolled), treatedConversionRate: treated.converted / treated.enrolled,
                        heldOutConversionRate: held.converted / held.enrolled)
        do {
            let conversion = try ExperimentStatistics.frequentist(control: ExperimentArm(proportion: held.converted, of: held.enrolled),
                                                                  treatment: ExperimentArm(proportion: treated.converted, of: treated.enrolled),
                                                                  alpha: plan.alpha, alternative: plan.alternative)
            lift.conversion = conversion.absolute
            lift.incrementalConversions = conversion.absolute.effect * treated.enrolled
            let revenue = try ExperimentStatistics.frequentist(control: ExperimentArm(mean: held.enrolled, sum: held.revenue, sumSquares: held.revenueSquares),
                                                               treatment: ExperimentArm(mean: treated.enrolled, sum: treated.revenue, sumSquares: treated.revenueSquares),
                                                               alpha: plan.alpha, alternative: plan.alternative)
            lift.revenuePerPerson = revenue.absolute
            lift.incrementalRevenue = revenue.absolute.effect * treated.enrolled
        } catch let none as NoResult { lift.noResult = none.reason } catch {}
        return lift
    }

    /// A verdict in plain words, with how much longer to run when it is not settled.
    static func verdict(_ c: Comparison, plan: ExperimentPlan, c baseline: JourneyArmSums, t arm: JourneyArmSums) -> String {
        guard let f = c.frequentist, let b = c.bayesian else { return c.noResult ?? "" }
        let rel = f.relative
        let effect: String
        switch plan.alternative {
        case .twoSided: effect = String(format: "%+.0f%% ± %.0f%%", rel.effect * 100, (rel.upper - rel.lower) / 2 * 100)
        case .greater: effect = String(format: "%+.0f%%, at least %+.0f%%", rel.effect * 100, rel.lower * 100)
        case .less: effect = String(format: "%+.0f%%, at most %+.0f%%", rel.effect * 100, rel.upper * 100)
        }
        let chance = String(format: "%.0f%% chance to win", b.chanceToWin * 100)
        // A one-sided test only ever declares the direction stated in advance.
        if (c.adjustedPValue ?? 1) < plan.alpha, plan.alternative.allows(rel.effect) {
            return rel.effect > 0 ? "\(c.arm) beats \(c.baseline) on \(c.metric): \(effect); \(chance)."
                : "\(c.arm) is behind \(c.baseline) on \(c.metric): \(effect); \(chance)."
        }
        if plan.alternative != .twoSided, !plan.alternative.allows(rel.effect) {
            return "\(c.arm) has not shown it is \(plan.alternative == .greater ? "above" : "below") \(c.baseline) on \(c.metric) "
                + "(\(effect), tested one-sided as stated); \(chance)."
        }
        var text = "No clear difference yet between \(c.arm) and \(c.baseline) on \(c.metric) (\(effect)); \(chance)."
        let delta = abs(f.absolute.effect)
        if delta > 0 {
            // People per arm to detect the observed difference with 80% power at the plan's level and sides.
            let varianceSum = f.absolute.standardError * f.absolute.standardError * min(baseline.enrolled, arm.enrolled)
            let needed = pow(Distributions.normalQuantile(1 - plan.alternative.tail(plan.alpha)) + 0.8416212335729143, 2) * varianceSum / (delta * delta)
            let more = needed - min(baseline.enrolled, arm.enrolled)
            if more > 0 && more.isFinite { text += " Keep running: about \(Int(more.rounded(.up))) more people per arm to tell." }
        }
        return text
    }
}
