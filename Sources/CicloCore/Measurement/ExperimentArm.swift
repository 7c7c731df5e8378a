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

/// An effect with its standard error, interval and p-value, under the stated alternative.
public struct EffectEstimate: Sendable, Equatable, Codable {
    public var effect: Double
    public var standardError: Double
    /// −∞ for a `less` test (written as null in JSON).
    public var lower: Double
    /// +∞ for a `greater` test (written as null in JSON).
    public var upper: Double
    /// Under `alternative`; nil for sequential intervals, which give no fixed-sample p-value.
    public var pValue: Double?
    public var degreesOfFreedom: Double
    public var alternative: ExperimentAlternative

    public init(effect: Double, standardError: Double, lower: Double, upper: Double, pValue: Double?, degreesOfFreedom: Double,
                alternative: ExperimentAlternative = .twoSided) {
        (self.effect, self.standardError, self.lower, self.upper) = (effect, standardError, lower, upper)
        (self.pValue, self.degreesOfFreedom, self.alternative) = (pValue, degreesOfFreedom, alternative)
    }

    enum CodingKeys: String, CodingKey { case effect, standardError, lower, upper, pValue, degreesOfFreedom, alternative }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        effect = try c.decode(Double.self, forKey: .effect)
        standardError = try c.decode(Double.self, forKey: .standardError)
        lower = try c.decodeIfPresent(Double.self, forKey: .lower) ?? -.infinity
        upper = try c.decodeIfPresent(Double.self, forKey: .upper) ?? .infinity
        pValue = try c.decodeIfPresent(Double.self, forKey: .pValue)
        degreesOfFreedom = try c.decodeIfPresent(Double.self, forKey: .degreesOfFreedom) ?? .infinity
        alternative = try c.decodeIfPresent(ExperimentAlternative.self, forKey: .alternative) ?? .twoSided
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(effect, forKey: .effect)
        try c.encode(standardError, forKey: .standardError)
        try c.encode(lower.isFinite ? lower : nil, forKey: .lower)
        try c.encode(upper.isFinite ? upper : nil, forKey: .upper)
        try c.encodeIfPresent(pValue, forKey: .pValue)
        // Welch's degrees of freedom are infinite when one arm has no variance: written as null, read back as such.
        try c.encode(degreesOfFreedom.isFinite ? degreesOfFreedom : nil, forKey: .degreesOfFreedom)
        try c.encode(alternative, forKey: .alternative)
    }
}
