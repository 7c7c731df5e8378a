import Foundation
import RealModule

/// The special functions the customer-base models need, accurate to about 1e-12 where they are used.
public enum SpecialFunctions {
    /// ln Γ(x) for x > 0.
    @inlinable
    public static func logGamma(_ x: Double) -> Double { Double.logGamma(x) }

    /// ln B(a, b).
    @inlinable
    public static func logBeta(_ a: Double, _ b: Double) -> Double { logGamma(a) + logGamma(b) - logGamma(a + b) }

    /// ψ(x), the digamma function, for x > 0: recurrence up to x ≥ 6, then the asymptotic series.
    public static func digamma(_ x: Double) -> Double {
        var x = x, result = 0.0
        while x < 6 {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        let series = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132)))))
        return result + log(x) - 0.5 / x + series
    }

    /// ln(eᵃ + eᵇ) without overflow.
    @inlinable
    public static func logSumExp(_ a: Double, _ b: Double) -> Double {
        let m = max(a, b)
        guard m > -.infinity else { return -.infinity }
        return m + log(exp(a - m) + exp(b - m))
    }

    /// The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series (terms are summed until
    /// they stop mattering; the models only ask for z well below 1, where this converges quickly).
    public static func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        // Outside the series' domain (or on NaN from a degenerate fit) the answer is NaN, which callers treat as "no
        // score", rather than a trap that would take the server down with the prediction job.
        guard z >= 0 && z < 1 else { return .nan }
        var term = 1.0, sum = 1.0
        var n = 0.0
        while n < 100_000 {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            sum += term
            if abs(term) <= 1e-15 * abs(sum) { break }
            n += 1
        }
        return sum
    }
}
