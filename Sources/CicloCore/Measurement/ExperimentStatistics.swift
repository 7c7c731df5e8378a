import Foundation

/// Frequentist and Bayesian comparisons of a treatment arm with a control arm, as GrowthBook and the experimentation
/// literature define them: Welch's t-test on the absolute difference, the delta method for the relative one, a
/// Gaussian posterior on the relative effect, CUPED variance reduction, and asymptotic confidence sequences.
public enum ExperimentStatistics {
    /// Both effects of a treatment against control.
    public struct Frequentist: Sendable, Equatable, Codable {
        public var absolute: EffectEstimate
        public var relative: EffectEstimate
    }

    /// The Gaussian posterior of the relative effect.
    public struct Bayesian: Sendable, Equatable, Codable {
        public var mean: Double
        public var standardDeviation: Double
        public var chanceToWin: Double
        /// Expected loss of shipping the treatment: E[max(0, −effect)].
        public var risk: Double
        /// Expected loss of keeping control: E[max(0, effect)].
        public var controlRisk: Double
        public var lower: Double
        public var upper: Double
    }

    /// A normal prior on the relative effect (mean, standard deviation).
    public struct Prior: Sendable, Equatable, Codable {
        public var mean: Double
        public var standardDeviation: Double
        public init(mean: Double, standardDeviation: Double) {
            self.mean = mean
            self.standardDeviation = standardDeviation
        }
    }

    /// Checks the inputs every comparison needs.
    static func validate(_ control: ExperimentArm, _ treatment: ExperimentArm) throws {
        for arm in [control, treatment] {
            guard arm.n.isFinite, arm.sum.isFinite, arm.sumSquares.isFinite else { throw NoResult("an arm's sums are not finite numbers") }
            guard arm.n >= 2 else { throw NoResult("an arm has fewer than two people") }
            if arm.kind == .proportion && (arm.sum < 0 || arm.sum > arm.n) { throw NoResult("successes must be between 0 and n") }
        }
        guard control.variance > 0 || treatment.variance > 0 else { throw NoResult("no variance in either arm") }
    }

    /// CUPED: both arms adjusted with the pooled θ = cov(x, y) / var(x) from the pre-period covariate.
    public static func cuped(_ control: ExperimentArm, _ treatment: ExperimentArm) -> (control: Adjusted, treatment: Adjusted)? {
        guard let vc = control.covariateVariance, let vt = treatment.covariateVariance, let cc = control.covariance,
              let ct = treatment.covariance, let mc = control.covariateMean, let mt = treatment.covariateMean, vc + vt > 0 else { return nil }
        let theta = (cc * (control.n - 1) + ct * (treatment.n - 1)) / (vc * (control.n - 1) + vt * (treatment.n - 1))
        let pooledX = (mc * control.n + mt * treatment.n) / (control.n + treatment.n)
        func adjust(_ arm: ExperimentArm, _ mx: Double, _ vx: Double, _ cov: Double) -> Adjusted {
            Adjusted(n: arm.n, mean: arm.mean - theta * (mx - pooledX), variance: max(0, arm.variance + theta * theta * vx - 2 * theta * cov))
        }
        return (adjust(control, mc, vc, cc), adjust(treatment, mt, vt, ct))
    }

    /// An arm reduced to what the tests read.
    public struct Adjusted: Sendable, Equatable {
        public var n: Double
        public var mean: Double
        public var variance: Double
        init(n: Double, mean: Double, variance: Double) { (self.n, self.mean, self.variance) = (n, mean, variance) }
        init(_ arm: ExperimentArm) { (n, mean, variance) = (arm.n, arm.mean, arm.variance) }
    }

    /// Welch's t-test on the difference and the delta method on the ratio; with `sequential`, the intervals are
    /// asymptotic confidence sequences with that tuning parameter (peeking allowed), and carry no p-value.
    public static func frequentist(control: ExperimentArm, treatment: ExperimentArm, alpha: Double = 0.05, cuped useCuped: Bool = false,
                                   sequential: Double? = nil, alternative: ExperimentAlternative = .twoSided) throws -> Frequentist {
        try validate(control, treatment)
        var (c, t) = (Adjusted(control), Adjusted(treatment))
        if useCuped, let adjusted = cuped(control, treatment) { (c, t) = adjusted }
        guard c.mean != 0 else { throw NoResult("the control mean is zero, so a relative effect is undefined") }
        let vAbs = t.variance / t.n + c.variance / c.n
        guard vAbs > 0 else { throw NoResult("zero variance") }
        let df = welchDF(c, t)
        let vRel = t.variance / (t.n * c.mean * c.mean) + c.variance * t.mean * t.mean / (c.n * pow(c.mean, 4))
        func estimate(_ effect: Double, _ variance: Double) -> EffectEstimate {
            let se = variance.squareRoot()
            if let tuning = sequential {
                // A one-sided sequence keeps the bound of the two-sided one at twice the level.
                let n = c.n + t.n
                let half = sequentialHalfWidth(variance * n, n: n, tuning: tuning, alpha: alternative == .twoSided ? alpha : min(0.99, 2 * alpha))
                let (lower, upper) = alternative.interval(effect, half: half)
                return EffectEstimate(effect: effect, standardError: se, lower: lower, upper: upper, pValue: nil, degreesOfFreedom: df,
                                      alternative: alternative)
            }
            let q = Distributions.studentTQuantile(1 - alternative.tail(alpha), df: df)
            let p = alternative.pValue(effect / se) { Distributions.studentTCDF($0, df: df) }
            let (lower, upper) = alternative.interval(effect, half: q * se)
            return EffectEstimate(effect: effect, standardError: se, lower: lower, upper: upper, pValue: p, degreesOfFreedom: df,
                                  alternative: alternative)
        }
        return Frequentist(absolute: estimate(t.mean - c.mean, vAbs), relative: estimate(t.mean / c.mean - 1, vRel))
    }

    /// The Gaussian posterior of the relative effect (flat prior unless one is given).
    public static func bayesian(control: ExperimentArm, treatment: ExperimentArm, prior: Prior? = nil, cuped useCuped: Bool = false) throws -> Bayesian {
        try validate(control, treatment)
        var (c, t) = (Adjusted(control), Adjusted(treatment))
        if useCuped, let adjusted = cuped(control, treatment) { (c, t) = adjusted }
        guard c.mean != 0 else { throw NoResult("the control mean is zero, so a relative effect is undefined") }
        let variance = t.variance / (t.n * c.mean * c.mean) + c.variance * t.mean * t.mean / (c.n * pow(c.mean, 4))
        guard variance > 0 else { throw NoResult("zero variance") }
        var mean = t.mean / c.mean - 1, sd = variance.squareRoot()
        if let prior {
            guard prior.standardDeviation > 0 else { throw NoResult("the prior needs a positive standard deviation") }
            let precision = 1 / variance + 1 / (prior.standardDeviation * prior.standardDeviation)
            mean = (mean / variance + prior.mean / (prior.standardDeviation * prior.standardDeviation)) / precision
            sd = (1 / precision).squareRoot()
        }
        let z = mean / sd
        let risk = sd * Distributions.normalPDF(z) - mean * Distributions.normalCDF(-z)
        let controlRisk = sd * Distributions.normalPDF(z) + mean * Distributions.normalCDF(z)
        return Bayesian(mean: mean, standardDeviation: sd, chanceToWin: Distributions.normalCDF(z), risk: risk, controlRisk: controlRisk,
                        lower: mean - 1.959963984540054 * sd, upper: mean + 1.959963984540054 * sd)
    }

    static func welchDF(_ c: Adjusted, _ t: Adjusted) -> Double {
        let a = t.variance / t.n, b = c.variance / c.n
        let denominator = (t.n > 1 ? a * a / (t.n - 1) : 0) + (c.n > 1 ? b * b / (c.n - 1) : 0)
        return denominator > 0 ? (a + b) * (a + b) / denominator : .infinity
    }

    /// Half-width of an asymptotic confidence sequence (Waudby-Smith et al. 2023) for a mean with per-observation
    /// variance `s2` after n observations, tuned to be tightest near n = `tuning`.
    public static func sequentialHalfWidth(_ s2: Double, n: Double, tuning: Double, alpha: Double) -> Double {
        let rho2 = (-2 * log(alpha) + log(-2 * log(alpha) + 1)) / tuning
        return s2.squareRoot() * ((2 * (n * rho2 + 1)) / (n * n * rho2) * log((n * rho2 + 1).squareRoot() / alpha)).squareRoot()
    }
}
