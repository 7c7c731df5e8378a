import Foundation

/// The shifted beta-geometric model for subscriptions (Fader & Hardie 2007, "How to Project Customer Retention"):
/// each customer renews each period with probability 1 − θ until they cancel, θ ~ Beta(α, β) across customers.
public struct ShiftedBetaGeometric: Sendable, Equatable, Codable {
    public var alpha: Double
    public var beta: Double

    public init(alpha: Double, beta: Double) {
        (self.alpha, self.beta) = (alpha, beta)
    }

    /// The share of the cohort still active after `t` periods: S(t) = B(α, β + t) / B(α, β).
    public func survival(_ t: Int) -> Double {
        exp(SpecialFunctions.logBeta(alpha, beta + Double(t)) - SpecialFunctions.logBeta(alpha, beta))
    }

    /// The share of those active in period t − 1 who renew into period t: (β + t − 1) / (α + β + t − 1).
    public func retention(_ t: Int) -> Double {
        (beta + Double(t) - 1) / (alpha + beta + Double(t) - 1)
    }

    /// Discounted expected residual lifetime (Fader & Hardie 2010) of a customer who has made `renewals` renewals,
    /// just before deciding on the next, with discount rate `d` per period.
    public func discountedResidualLifetime(renewals: Int, discount d: Double) -> Double {
        let n = Double(renewals + 1)
        return (beta + n - 1) / (alpha + beta + n - 1) * SpecialFunctions.hypergeometric2F1(1, beta + n, alpha + beta + n, 1 / (1 + d))
    }

    /// Fits α and β to a cohort's survivor counts per period, starting with the cohort's size.
    public static func fit(survivors: [Int]) throws -> (model: ShiftedBetaGeometric, logLikelihood: Double) {
        guard survivors.count >= 3, let first = survivors.first, first > 0 else {
            throw CicloError.badRequest("invalid_survivors", "Give the cohort's size and at least two later counts, such as 1000,869,743.")
        }
        guard zip(survivors, survivors.dropFirst()).allSatisfy({ $0 >= $1 && $1 >= 0 }) else {
            throw CicloError.badRequest("invalid_survivors", "Survivor counts can only stay equal or fall from one period to the next.")
        }
        guard survivors.last! < first else {
            throw CicloError.badRequest("invalid_survivors", "No one left, so there is no churn to fit.")
        }
        let periods = survivors.count - 1
        func evaluate(_ a: Double, _ b: Double) -> (Double, [Double]) {
            let psiA = SpecialFunctions.digamma(a), psiB = SpecialFunctions.digamma(b), psiAB = SpecialFunctions.digamma(a + b)
            let logB0 = SpecialFunctions.logBeta(a, b)
            var ll = 0.0, da = 0.0, db = 0.0
            for t in 1...periods {
                let lost = Double(survivors[t - 1] - survivors[t])
                let td = Double(t)
                if lost > 0 {
                    ll += lost * (SpecialFunctions.logBeta(a + 1, b + td - 1) - logB0)
                    let psiABT = SpecialFunctions.digamma(a + b + td)
                    da += lost * (SpecialFunctions.digamma(a + 1) - psiABT - psiA + psiAB)
                    db += lost * (SpecialFunctions.digamma(b + td - 1) - psiABT - psiB + psiAB)
                }
            }
            let stay = Double(survivors[periods]), T = Double(periods)
            if stay > 0 {
                ll += stay * (SpecialFunctions.logBeta(a, b + T) - logB0)
                let psiABT = SpecialFunctions.digamma(a + b + T)
                da += stay * (psiAB - psiABT)
                db += stay * (SpecialFunctions.digamma(b + T) - psiABT - psiB + psiAB)
            }
            return (ll, [da, db])
        }
        let n = Double(first)
        let result = QuasiNewton().minimise(from: [0, 0]) { phi in
            let (ll, g) = evaluate(exp(phi[0]), exp(phi[1]))
            return (-ll / n, zip(g, phi).map { -$0 * exp($1) / n })
        }
        let model = ShiftedBetaGeometric(alpha: exp(result.point[0]), beta: exp(result.point[1]))
        return (model, evaluate(model.alpha, model.beta).0)
    }
}
