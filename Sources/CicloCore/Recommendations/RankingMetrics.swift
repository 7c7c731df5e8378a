import Foundation

/// Offline ranking quality of recommended lists against held-out relevant items (binary relevance).
public struct RankingMetrics: Sendable, Equatable, Codable {
    public var k: Int
    public var people: Int
    public var precision: Double
    public var recall: Double
    public var ndcg: Double
    public var map: Double
    public var hitRate: Double

    /// Averages over people who have at least one relevant item; lists are cut to `k`.
    public init(k: Int, relevant: [Set<String>], ranked: [[String]]) {
        assert(relevant.count == ranked.count, "one ranked list per person")
        var p = 0.0, r = 0.0, n = 0.0, m = 0.0, h = 0.0, count = 0
        for (truth, list) in zip(relevant, ranked) where !truth.isEmpty {
            count += 1
            let top = Array(list.prefix(k))
            var hits = 0, dcg = 0.0, ap = 0.0
            for (i, item) in top.enumerated() where truth.contains(item) {
                hits += 1
                dcg += 1 / log2(Double(i) + 2)
                ap += Double(hits) / Double(i + 1)
            }
            let ideal = (0..<min(truth.count, k)).reduce(0.0) { $0 + 1 / log2(Double($1) + 2) }
            p += Double(hits) / Double(k)
            r += Double(hits) / Double(truth.count)
            n += ideal > 0 ? dcg / ideal : 0
            m += ap / Double(min(truth.count, k))
            h += hits > 0 ? 1 : 0
        }
        let c = Double(max(count, 1))
        (self.k, people, precision, recall, ndcg, map, hitRate) = (k, count, p / c, r / c, n / c, m / c, h / c)
    }

    /// Share of the catalogue that appears in at least one list.
    public static func coverage(_ ranked: [[String]], k: Int, catalogue: Int) -> Double {
        guard catalogue > 0 else { return 0 }
        return Double(Set(ranked.flatMap { $0.prefix(k) }).count) / Double(catalogue)
    }

    /// Mean self-information −log2(popularity) of recommended items, where popularity is the share of people who
    /// interacted with the item in training: higher means less obvious recommendations.
    public static func novelty(_ ranked: [[String]], k: Int, popularity: [String: Double]) -> Double {
        let values = ranked.flatMap { $0.prefix(k) }.map { -log2(max(popularity[$0] ?? 0, 1e-12)) }
        return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}
