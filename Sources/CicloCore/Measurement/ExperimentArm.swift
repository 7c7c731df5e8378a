import Foundation

/// One arm's sufficient statistics: for a mean metric n, Σy and Σy² (and, for CUPED, the pre-period covariate's Σx,
/// Σx² and Σxy); for a proportion, n and the number of successes.
public struct ExperimentArm: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case mean, proportion }

    public var name: String
    public var kind: Kind
    public var n: Double
    public var sum: Double
    public var sumSquares: Double
    /// Pre-period covariate sums, for CUPED.
    public var covariateSum: Double?
    public var covariateSumSquares: Double?
    public var crossSum: Double?

    public init(name: String = "", mean n: Double, sum: Double, sumSquares: Double) {
        (self.name, kind, self.n, self.sum, self.sumSquares) = (name, .mean, n, sum, sumSquares)
    }

    public init(name: String = "", proportion successes: Double, of n: Double) {
        (self.name, kind, self.n, self.sum, self.sumSquares) = (name, .proportion, n, successes, successes)
    }

    public var mean: Double { sum / n }

    /// The per-observation variance: p(1 − p) for proportions, the sample variance (n − 1) for means.
    public var variance: Double {
        switch kind {
        case .proportion: return mean * (1 - mean)
        case .mean: return n > 1 ? max(0, (sumSquares - sum * sum / n) / (n - 1)) : 0
        }
    }

    var covariateMean: Double? { covariateSum.map { $0 / n } }
    var covariateVariance: Double? {
        guard let s = covariateSum, let s2 = covariateSumSquares, n > 1 else { return nil }
        return max(0, (s2 - s * s / n) / (n - 1))
    }
    var covariance: Double? {
        guard let sx = covariateSum, let sxy = crossSum, n > 1 else { return nil }
        return (sxy - sx * sum / n) / (n - 1)
    }
}

/// A statistic that could not be computed, and why (never a NaN).
public struct NoResult: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
    public init(_ reason: String) { self.reason = reason }
}

/// An effect with its standard error, 95% interval and p-value.
public struct EffectEstimate: Sendable, Equatable, Codable {
    public var effect: Double
    public var standardError: Double
    public var lower: Double
    public var upper: Double
    /// Two-sided; nil for sequential intervals, which give no fixed-sample p-value.
    public var pValue: Double?
    public var degreesOfFreedom: Double
}
