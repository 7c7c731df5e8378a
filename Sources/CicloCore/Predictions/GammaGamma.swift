import Foundation

/// The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"): a customer's order values are gamma with
/// shape p and a rate ν that varies across customers as Gamma(q, γ); fitted on repeat buyers' mean spend.
public struct GammaGamma: Sendable, Equatable, Codable {
    public var p: Double
    public var q: Double
    public var gamma: Double

    public init(p: Double, q: Double, gamma: Double) {
        (self.p, self.q, self.gamma) = (p, q, gamma)
    }

    /// Expected mean order value given x repeat purchases averaging `monetary` (the population mean when x is 0).
    public func expectedOrderValue(frequency x: Int, monetary: Double) -> Double {
        let xd = Double(x)
        return (gamma + monetary * xd) * p / (p * xd + q - 1)
    }

    /// Fits p, q and γ on customers with repeat purchases and a positive mean spend.
    public static func fit(_ histories: [CustomerHistory]) throws -> (model: GammaGamma, logLikelihood: Double, customers: Int) {
        let buyers = histories.filter { $0.frequency > 0 && $0.monetary > 0 && $0.monetary.isFinite }
        guard buyers.count >= 2 else {
            throw CicloError.badRequest("no_repeat_buyers", "The spend model needs at least two repeat buyers with a positive spend.")
        }
        let x = buyers.map { Double($0.frequency) }, m = buyers.map(\.monetary)
        let n = Double(buyers.count)
        func evaluate(_ p: Double, _ q: Double, _ g: Double) -> (Double, [Double]) {
            var ll = 0.0, dp = 0.0, dq = 0.0, dg = 0.0
            let lgQ = SpecialFunctions.logGamma(q), psiQ = SpecialFunctions.digamma(q), logG = log(g)
            for i in 0..<x.count {
                let px = p * x[i], logGM = log(g + m[i] * x[i])
                ll += SpecialFunctions.logGamma(px + q) - SpecialFunctions.logGamma(px) - lgQ + q * logG
                    + (px - 1) * log(m[i]) + px * log(x[i]) - (px + q) * logGM
                let psiPXQ = SpecialFunctions.digamma(px + q)
                dp += x[i] * (psiPXQ - SpecialFunctions.digamma(px) + log(m[i]) + log(x[i]) - logGM)
                dq += psiPXQ - psiQ + logG - logGM
                dg += q / g - (px + q) / (g + m[i] * x[i])
            }
            return (ll, [dp, dq, dg])
        }
        let result = QuasiNewton().minimise(from: [0, 0, 0]) { phi in
            let (ll, g) = evaluate(exp(phi[0]), exp(phi[1]), exp(phi[2]))
            return (-ll / n, zip(g, phi).map { -$0 * exp($1) / n })
        }
        let model = GammaGamma(p: exp(result.point[0]), q: exp(result.point[1]), gamma: exp(result.point[2]))
        let ll = evaluate(model.p, model.q, model.gamma).0
        guard ll.isFinite, model.q > 1 else {
            throw CicloError.badRequest("fit_failed", "The spend model did not converge (q must exceed 1 for a finite mean).")
        }
        return (model, ll, buyers.count)
    }
}

/// Customer lifetime value as the lifetimes package defines it: month by month over a horizon, the expected value
/// of an order times the expected purchases in that month, discounted monthly.
public enum LifetimeValue {
    /// CLV over `months` of 30 days with `monthlyDiscount` (0.01 = 1% a month); `unitDays` is the models' time unit.
    public static func value(_ purchases: BGNBD, _ spend: GammaGamma, frequency x: Int, recency tx: Double, age T: Double,
                             monetary: Double, months: Int = 12, monthlyDiscount: Double = 0.01, unitDays: Double = 7) -> Double {
        var scoring = CustomerScoring(purchases: purchases, spend: spend, unitDays: unitDays)
        scoring.clvMonths = max(1, months)
        scoring.monthlyDiscount = monthlyDiscount
        return scoring.one(CustomerHistory(customer: "", frequency: x, recency: tx, age: T, monetary: monetary), fallback: 0, at: 0)
            .predictedClv12m ?? 0
    }
}
