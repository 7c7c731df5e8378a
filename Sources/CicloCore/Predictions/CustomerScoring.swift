import Foundation

/// Scores every customer from fitted models: P(alive), churn risk, expected orders, purchase likelihood, order value
/// and CLV, computed in parallel; then each customer's CLV percentile.
public struct CustomerScoring: Sendable {
    public var purchases: BGNBD
    /// The spend model; without one, a customer's own mean order value (or the population's) stands in.
    public var spend: GammaGamma?
    /// Days per model time unit (7 for weeks).
    public var unitDays: Double = 7
    public var clvMonths = 12
    public var monthlyDiscount = 0.01

    public init(purchases: BGNBD, spend: GammaGamma?, unitDays: Double = 7) {
        self.purchases = purchases
        self.spend = spend
        self.unitDays = unitDays
    }

    /// Scores in the order of `histories`; `fallbackOrderValue` is used when there is no spend model.
    public func score(_ histories: [CustomerHistory], fallbackOrderValue: Double, scoredAt: Int64) -> [ProfileScores] {
        let count = histories.count
        let chunks = max(1, min(16, count / 5_000))
        let parts = ParallelChunks.map(chunks) { chunk -> [ProfileScores] in
            let range = (chunk * count / chunks)..<((chunk + 1) * count / chunks)
            return range.map { i in one(histories[i], fallback: fallbackOrderValue, at: scoredAt) }
        }
        var scores = parts.flatMap { $0 }
        // Percentile of CLV: the share of customers below, 0–100.
        let order = scores.indices.sorted { (scores[$0].predictedClv12m ?? 0) < (scores[$1].predictedClv12m ?? 0) }
        for (rank, i) in order.enumerated() { scores[i].clvPercentile = count > 1 ? 100 * Double(rank) / Double(count - 1) : 100 }
        return scores
    }

    func one(_ h: CustomerHistory, fallback: Double, at: Int64) -> ProfileScores {
        var s = ProfileScores()
        let alive = purchases.probabilityAlive(frequency: h.frequency, recency: h.recency, age: h.age)
        s.pAlive = alive
        s.churnRisk = 1 - alive
        s.expectedOrders90d = purchases.expectedPurchases(90 / unitDays, frequency: h.frequency, recency: h.recency, age: h.age)
        s.purchaseProbability30d = purchases.probabilityOfPurchase(within: 30 / unitDays, frequency: h.frequency, recency: h.recency, age: h.age)
        let orderValue = spend.map { $0.expectedOrderValue(frequency: h.frequency, monetary: h.monetary) }
            ?? (h.frequency > 0 ? h.monetary : fallback)
        s.expectedOrderValue = orderValue
        let month = 30 / unitDays
        var clv = 0.0, previous = 0.0
        for m in 1...clvMonths {
            let expected = purchases.expectedPurchases(Double(m) * month, frequency: h.frequency, recency: h.recency, age: h.age)
            clv += orderValue * (expected - previous) / pow(1 + monthlyDiscount, Double(m))
            previous = expected
        }
        s.predictedClv12m = clv
        s.scoredAt = at
        // A number that is not finite never reaches a profile.
        for keyPath in [\ProfileScores.pAlive, \.churnRisk, \.expectedOrders90d, \.purchaseProbability30d, \.expectedOrderValue, \.predictedClv12m]
            where !(s[keyPath: keyPath]?.isFinite ?? true) { s[keyPath: keyPath] = nil }
        return s
    }
}
