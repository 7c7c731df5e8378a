import Foundation

/// The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"): while alive a customer buys
/// at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
public struct BGNBD: Sendable, Equatable, Codable {
    public var r: Double
    public var alpha: Double
    public var a: Double
    public var b: Double

    public init(r: Double, alpha: Double, a: Double, b: Double) {
        (self.r, self.alpha, self.a, self.b) = (r, alpha, a, b)
    }

    /// The probability the customer is still alive at the end of calibration.
    public func probabilityAlive(frequency x: Int, recency tx: Double, age T: Double) -> Double {
        guard x > 0 else { return 1 }
        let x = Double(x)
        let logRatio = log(a) - log(b + x - 1) + (r + x) * (log(alpha + T) - log(alpha + tx))
        return 1 / (1 + exp(logRatio))
    }

    /// Expected repeat purchases in the next `t` units (FHL 2005, equation 10).
    public func expectedPurchases(_ t: Double, frequency x: Int, recency tx: Double, age T: Double) -> Double {
        let xd = Double(x)
        let z = t / (alpha + T + t)
        let hyper = SpecialFunctions.hypergeometric2F1(r + xd, b + xd, a + b + xd - 1, z)
        let front = (a + b + xd - 1) / (a - 1)
        let numerator = front * (1 - exp((r + xd) * log((alpha + T) / (alpha + T + t))) * hyper)
        guard x > 0 else { return numerator }
        let odds = exp(log(a) - log(b + xd - 1) + (r + xd) * (log(alpha + T) - log(alpha + tx)))
        return numerator / (1 + odds)
    }

    /// Expected purchases in `t` units by someone who has just made a first purchase (FHL 2005, equation 9).
    public func expectedPurchasesOfNewCustomer(_ t: Double) -> Double {
        let hyper = SpecialFunctions.hypergeometric2F1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1 - pow(alpha / (alpha + t), r) * hyper)
    }

    /// The probability of at least one purchase in the next `t` units: alive now, and the Poisson clock ticks.
    /// (BG/NBD customers only drop out right after a purchase, so one who is alive stays so until they buy.)
    public func probabilityOfPurchase(within t: Double, frequency x: Int, recency tx: Double, age T: Double) -> Double {
        let noPurchaseIfAlive = exp((r + Double(x)) * log((alpha + T) / (alpha + T + t)))
        return probabilityAlive(frequency: x, recency: tx, age: T) * (1 - noPurchaseIfAlive)
    }
}

/// A fitted BG/NBD model and how the fit went.
public struct BGNBDFit: Sendable, Codable {
    public var model: BGNBD
    public var logLikelihood: Double
    public var customers: Int
    public var iterations: Int
}

extension BGNBD {
    /// Customers grouped by identical (x, tₓ, T), so the likelihood is evaluated once per distinct history.
    struct Groups: Sendable {
        var x: [Double] = [], tx: [Double] = [], T: [Double] = [], weight: [Double] = []
        var maxX = 0

        init(_ histories: [CustomerHistory]) {
            var index: [HistoryKey: Int] = [:]
            for h in histories {
                let key = HistoryKey(x: h.frequency, tx: h.recency, T: h.age)
                if let i = index[key] {
                    weight[i] += 1
                } else {
                    index[key] = x.count
                    x.append(Double(h.frequency)); tx.append(h.recency); T.append(h.age); weight.append(1)
                    maxX = max(maxX, h.frequency)
                }
            }
        }
    }

    struct HistoryKey: Hashable { var x: Int; var tx: Double; var T: Double }

    /// Fits r, α, a and b by maximum likelihood (BFGS on their logarithms, analytic gradient, in parallel chunks).
    public static func fit(_ histories: [CustomerHistory]) throws -> BGNBDFit {
        guard histories.count >= 2 else { throw CicloError.badRequest("too_few_customers", "Fitting BG/NBD needs at least two customers.") }
        guard histories.contains(where: { $0.frequency > 0 }) else {
            throw CicloError.badRequest("no_repeat_buyers", "No customer bought twice, so the purchase and dropout rates cannot be told apart.")
        }
        guard histories.allSatisfy({ $0.recency.isFinite && $0.age.isFinite && $0.recency >= 0 && $0.age >= $0.recency }) else {
            throw CicloError.badRequest("invalid_history", "Every customer needs 0 ≤ recency ≤ age, both finite.")
        }
        let groups = Groups(histories)
        let total = groups.weight.reduce(0, +)
        let result = QuasiNewton().minimise(from: [0, 0, 0, 0]) { phi in
            let (ll, gradient) = logLikelihood(groups, BGNBD(r: exp(phi[0]), alpha: exp(phi[1]), a: exp(phi[2]), b: exp(phi[3])))
            // Minimise the mean negative log-likelihood; the chain rule through θ = e^φ multiplies by θ.
            return (-ll / total, zip(gradient, phi).map { -$0 * exp($1) / total })
        }
        let model = BGNBD(r: exp(result.point[0]), alpha: exp(result.point[1]), a: exp(result.point[2]), b: exp(result.point[3]))
        let ll = logLikelihood(groups, model).value
        guard ll.isFinite, [model.r, model.alpha, model.a, model.b].allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw CicloError.badRequest("fit_failed", "The BG/NBD fit did not converge on this data.")
        }
        return BGNBDFit(model: model, logLikelihood: ll, customers: histories.count, iterations: result.iterations)
    }

    /// The log-likelihood of the customers and its gradient in (r, α, a, b).
    static func logLikelihood(_ g: Groups, _ m: BGNBD) -> (value: Double, gradient: [Double]) {
        let (r, alpha, a, b) = (m.r, m.alpha, m.a, m.b)
        // Everything that depends on x alone, once per distinct x.
        let n = g.maxX + 1
        var lgRX = [Double](repeating: 0, count: n), psiRX = lgRX, lgBX = lgRX, psiBX = lgRX, lgABX = lgRX, psiABX = lgRX
        for x in 0..<n {
            let xd = Double(x)
            lgRX[x] = SpecialFunctions.logGamma(r + xd); psiRX[x] = SpecialFunctions.digamma(r + xd)
            lgBX[x] = SpecialFunctions.logGamma(b + xd); psiBX[x] = SpecialFunctions.digamma(b + xd)
            lgABX[x] = SpecialFunctions.logGamma(a + b + xd); psiABX[x] = SpecialFunctions.digamma(a + b + xd)
        }
        let lgR = SpecialFunctions.logGamma(r), lgB = SpecialFunctions.logGamma(b), lgAB = SpecialFunctions.logGamma(a + b)
        let psiR = SpecialFunctions.digamma(r), psiB = SpecialFunctions.digamma(b), psiAB = SpecialFunctions.digamma(a + b)
        let logAlpha = log(alpha), logA = log(a)
        let tables = (lgRX, psiRX, lgBX, psiBX, lgABX, psiABX)

        let count = g.x.count
        let chunks = max(1, min(8, count / 20_000))
        let partial = ParallelChunks.map(chunks) { chunk -> [Double] in
            let (lgRX, psiRX, lgBX, psiBX, lgABX, psiABX) = tables
            var s = [0.0, 0, 0, 0, 0]
            let start = chunk * count / chunks, end = (chunk + 1) * count / chunks
            for i in start..<end {
                let x = g.x[i], xi = Int(x), w = g.weight[i]
                let logAT = log(alpha + g.T[i])
                let a1 = lgRX[xi] - lgR + r * logAlpha
                let a2 = lgAB + lgBX[xi] - lgB - lgABX[xi]
                let a3 = -(r + x) * logAT
                var ll: Double, w3 = 1.0, w4 = 0.0, logATx = 0.0
                if xi > 0 {
                    logATx = log(alpha + g.tx[i])
                    let a4 = logA - log(b + x - 1) - (r + x) * logATx
                    let d = SpecialFunctions.logSumExp(a3, a4)
                    ll = a1 + a2 + d
                    w3 = exp(a3 - d); w4 = exp(a4 - d)
                } else {
                    ll = a1 + a2 + a3
                }
                s[0] += w * ll
                s[1] += w * (psiRX[xi] - psiR + logAlpha - w3 * logAT - w4 * logATx)
                s[2] += w * (r / alpha - w3 * (r + x) / (alpha + g.T[i]) - (xi > 0 ? w4 * (r + x) / (alpha + g.tx[i]) : 0))
                s[3] += w * (psiAB - psiABX[xi] + (xi > 0 ? w4 / a : 0))
                s[4] += w * (psiAB + psiBX[xi] - psiB - psiABX[xi] - (xi > 0 ? w4 / (b + x - 1) : 0))
            }
            return s
        }
        var total = [0.0, 0, 0, 0, 0]
        for p in partial { for k in 0..<5 { total[k] += p[k] } }
        return (total[0], Array(total[1...]))
    }
}
