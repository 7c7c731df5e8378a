import Foundation

/// What the predictions say about a person, as of the last scoring run (nil until scored; non-customers get none of
/// the purchase scores).
public struct ProfileScores: Sendable, Equatable, Codable {
    /// Probability the customer is still active (BG/NBD).
    public var pAlive: Double?
    /// 1 − P(alive).
    public var churnRisk: Double?
    /// Expected orders in the next 90 days.
    public var expectedOrders90d: Double?
    /// Probability of at least one order in the next 30 days.
    public var purchaseProbability30d: Double?
    /// Expected value of an order (Gamma-Gamma).
    public var expectedOrderValue: Double?
    /// Predicted customer lifetime value over 12 months, discounted.
    public var predictedClv12m: Double?
    /// Where the CLV stands among the workspace's customers, 0–100.
    public var clvPercentile: Double?
    /// Share of orders with a coupon or discount, shrunk toward the workspace's share.
    public var discountAffinity: Double?
    /// The channel the person engages with most (smoothed).
    public var preferredChannel: String?
    /// Hour of the week (0 = Sunday 00:00 in the person's time zone) when the person engages most.
    public var bestSendHour: Int?
    public var topCategory: String?
    public var topBrand: String?
    /// When the scores were computed (ms).
    public var scoredAt: Int64?

    public init() {}
}

/// Beta-binomial shrinkage: a rate from k of n, pulled toward a prior rate with the weight of `strength` observations,
/// so two orders do not make someone "100% discount-driven".
public enum Shrinkage {
    public static func rate(_ k: Double, of n: Double, prior: Double, strength: Double) -> Double {
        (k + prior * strength) / (n + strength)
    }

    /// The prior strength (α + β) of a beta with this mean and variance of per-person rates (moments), clamped to
    /// 2…1000: little spread between people means a strong prior.
    public static func strength(mean: Double, variance: Double) -> Double {
        guard mean > 0, mean < 1 else { return 10 }
        guard variance > 0 else { return 1_000 }
        return min(1_000, max(2, mean * (1 - mean) / variance - 1))
    }
}

extension ProfileScores {
    /// The scores as JSON keyed like the condition attributes (`churn_risk`, `predicted_clv_12m`, ...), omitting unset ones.
    public func json(_ profile: Profile) -> JSONValue {
        var out: [String: JSONValue] = [:]
        var p = profile
        p.scores = self
        for attribute in ProfileAttribute.allCases where attribute.isScore {
            if let value = attribute.value(of: p) { out[attribute.rawValue] = value }
        }
        return .object(out)
    }
}
