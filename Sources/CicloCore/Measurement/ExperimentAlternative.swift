import Foundation

/// The hypothesis a marketer states before an experiment starts: that the arm differs from the baseline (two-sided),
/// beats it (`greater`) or is below it (`less`). One-sided tests have more power in the stated direction and can
/// never declare a result in the other one, so the choice is made in advance and stored with the journey.
public enum ExperimentAlternative: String, Sendable, Codable, CaseIterable {
    case twoSided, greater, less

    /// Reads `"twoSided"`, `"greater"` or `"less"`; nil is two-sided.
    public static func parse(_ json: JSONValue?, at path: String) throws -> ExperimentAlternative {
        guard let json, !json.isNull else { return .twoSided }
        guard let text = json.stringValue, let value = ExperimentAlternative(rawValue: text) else {
            throw CicloError.badRequest("invalid_alternative", "\(path) is twoSided, greater or less.")
        }
        return value
    }

    /// The p-value of a test statistic `z` whose distribution function is `cdf`.
    func pValue(_ z: Double, cdf: (Double) -> Double) -> Double {
        switch self {
        case .twoSided: min(1, 2 * (1 - cdf(abs(z))))
        case .greater: 1 - cdf(z)
        case .less: cdf(z)
        }
    }

    /// The interval around `effect` with half-width `half` on the tested side(s): one-sided intervals are open on the other.
    func interval(_ effect: Double, half: Double) -> (lower: Double, upper: Double) {
        switch self {
        case .twoSided: (effect - half, effect + half)
        case .greater: (effect - half, .infinity)
        case .less: (-.infinity, effect + half)
        }
    }

    /// The tail probability the interval's quantile leaves out.
    public func tail(_ alpha: Double) -> Double { self == .twoSided ? alpha / 2 : alpha }

    /// True when a significant result in direction `effect` is one this hypothesis can declare.
    public func allows(_ effect: Double) -> Bool {
        switch self {
        case .twoSided: effect != 0
        case .greater: effect > 0
        case .less: effect < 0
        }
    }
}

/// An experiment's plan, stated with the journey: the alternative and the significance level.
public struct ExperimentPlan: Sendable, Equatable {
    public var alternative: ExperimentAlternative
    public var alpha: Double

    public init(alternative: ExperimentAlternative = .twoSided, alpha: Double = 0.05) {
        (self.alternative, self.alpha) = (alternative, alpha)
    }

    /// Reads `{"alternative": …, "alpha": …}`.
    public static func parse(_ json: JSONValue?, at path: String) throws -> ExperimentPlan {
        guard let json, !json.isNull else { return ExperimentPlan() }
        guard case .object = json else { throw CicloError.badRequest("invalid_experiment", "\(path) is {\"alternative\": …, \"alpha\": …}.") }
        let alpha = json["alpha"]?.doubleValue ?? 0.05
        guard alpha.isFinite, alpha > 0, alpha < 0.5 else { throw CicloError.badRequest("invalid_alpha", "\(path).alpha is between 0 and 0.5.") }
        return ExperimentPlan(alternative: try ExperimentAlternative.parse(json["alternative"], at: "\(path).alternative"), alpha: alpha)
    }

    public var json: JSONValue { ["alternative": .string(alternative.rawValue), "alpha": .double(alpha)] }
}
