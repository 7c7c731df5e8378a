import Foundation

/// Offline evaluation: per person, interactions sorted by (time, product) with the last share held out; the models
/// train on the rest and recommend k with each person's training items removed.
public struct RecommendationEvaluation: Sendable {
    /// The figures of one strategy.
    public struct Result: Sendable, Codable, Equatable {
        public var strategy: String
        public var metrics: RankingMetrics
        public var coverage: Double
        public var novelty: Double
    }

    public static let strategies = ["popular", "trending", "similar", "personalised"]

    public static func run(_ interactions: [ProductInteraction], testShare: Double, k: Int, strategies: [String] = strategies,
                           settings: RecommenderSettings = RecommenderSettings()) -> [Result] {
        var train: [ProductInteraction] = [], test: [String: Set<String>] = [:]
        for (person, items) in Dictionary(grouping: interactions, by: \.person) {
            let sorted = items.sorted { ($0.time, $0.product) < ($1.time, $1.product) }
            let held = sorted.count < 2 ? 0 : min(sorted.count - 1, max(1, Int(saturating: Double(sorted.count) * testShare, rounding: .toNearestOrAwayFromZero)))
            train += sorted.dropLast(held)
            let seen = Set(sorted.dropLast(held).map(\.product))
            let relevant = Set(sorted.suffix(held).map(\.product)).subtracting(seen)
            if !relevant.isEmpty { test[person] = relevant }
        }
        let reference = train.map(\.time).max() ?? 0
        let model = RecommenderModel(train, reference: reference, settings: settings)
        let byPerson = Dictionary(grouping: train, by: \.person)
        let people = test.keys.sorted()
        let catalogue = Set(interactions.map(\.product)).count
        let trainPeople = Double(max(1, byPerson.count))
        var share: [String: Double] = [:]
        for (_, items) in byPerson { for p in Set(items.map(\.product)) { share[p, default: 0] += 1 / trainPeople } }
        let popular = model.popular(), trending = model.trendingNow()
        return strategies.map { strategy in
            let lists: [[String]] = people.map { person in
                let history = byPerson[person] ?? []
                let seen = Set(history.map(\.product))
                let candidates: [String]
                switch strategy {
                case "trending": candidates = trending
                case "similar":
                    let recent = history.sorted { ($0.time, $0.product) > ($1.time, $1.product) }.map(\.product)
                    var unique: [String] = []
                    for p in recent where !unique.contains(p) { unique.append(p); if unique.count == 5 { break } }
                    candidates = model.similarToRecent(unique)
                case "personalised": candidates = model.personalised(history)
                default: candidates = popular
                }
                return Array(candidates.lazy.filter { !seen.contains($0) }.prefix(k))
            }
            let relevant = people.map { test[$0]! }
            return Result(strategy: strategy, metrics: RankingMetrics(k: k, relevant: relevant, ranked: lists),
                          coverage: RankingMetrics.coverage(lists, k: k, catalogue: catalogue),
                          novelty: RankingMetrics.novelty(lists, k: k, popularity: share))
        }
    }
}
