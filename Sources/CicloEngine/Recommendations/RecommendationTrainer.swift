import CicloCore
import CicloStore
import Foundation
import Logging

/// Trains the recommendation models from the event log: popularity and trending, similar items from co-occurrence
/// over views, adds and purchases, and bought-together pairs from orders (association rules); learns products that
/// events describe. Runs nightly and on `ciclo recommend train`.
public struct RecommendationTrainer: Sendable {
    let store: Store
    let settings: RecommenderSettings
    /// Days of history the models learn from.
    let days: Int
    /// Minimum support of a bought-together pair, and the fewest orders it must appear in.
    let minSupport: Double
    let minPairOrders: Int
    let logger: Logger

    public init(store: Store, settings: RecommenderSettings = RecommenderSettings(), days: Int = 365, minSupport: Double = 0.0005,
                minPairOrders: Int = 3, logger: Logger = Logger(label: "ciclo.recommendations")) {
        (self.store, self.settings, self.days, self.minSupport, self.minPairOrders) = (store, settings, days, minSupport, minPairOrders)
        self.logger = logger
    }

    /// What a training run produced.
    public struct Report: Sendable, Codable {
        public var interactions: Int
        public var people: Int
        public var products: Int
        public var similarPairs: Int
        public var boughtTogetherPairs: Int
        /// Product events whose stored properties did not parse, left out of the models.
        public var unreadableEvents: Int
        public var seconds: Double
    }

    public func train(workspaceId: Int64) async throws -> Report {
        let started = ContinuousClock.now
        let now = store.clock.now().epochMilliseconds
        let history = try await store.productHistory(workspaceId: workspaceId, since: now - Int64(days) * 86_400_000)
        if history.unreadable > 0 {
            logger.warning("product events with unreadable properties left out of training",
                           metadata: ["workspace": "\(workspaceId)", "events": "\(history.unreadable)"])
        }
        try await store.learnProducts(workspaceId: workspaceId, Array(history.seen.values).sorted { $0.id < $1.id })
        let model = RecommenderModel(history.interactions, reference: now, settings: settings)
        let scores = model.popularity.keys.sorted().map { ProductScore(product: $0, popular: model.popularity[$0]!, trending: model.trending[$0]) }
        var neighbours = model.neighbours.flatMap { product, list in
            list.map { ProductNeighbour(strategy: "similar", product: product, neighbour: $0.product, score: $0.score) }
        }
        let support = max(minSupport, Double(minPairOrders) / Double(max(1, history.baskets.count)))
        let rules = AssociationRules(baskets: history.baskets, minSupport: support, maxLength: 2)
        let together = rules.rules.filter { $0.lift >= 1 }.map {
            ProductNeighbour(strategy: "bought_together", product: $0.antecedent[0], neighbour: $0.consequent[0], score: $0.confidence)
        }
        neighbours += together
        let seconds = (ContinuousClock.now - started).components
        let report = Report(interactions: history.interactions.count, people: Set(history.interactions.map(\.person)).count,
                            products: scores.count, similarPairs: neighbours.count - together.count, boughtTogetherPairs: together.count,
                            unreadableEvents: history.unreadable,
                            seconds: Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18)
        try await store.saveRecommendationModel(workspaceId: workspaceId, scores: scores, neighbours: neighbours, summary: [
            "interactions": .int(Int64(report.interactions)), "people": .int(Int64(report.people)), "products": .int(Int64(report.products)),
            "similarPairs": .int(Int64(report.similarPairs)), "boughtTogetherPairs": .int(Int64(report.boughtTogetherPairs)),
            "unreadableEvents": .int(Int64(report.unreadableEvents)),
            "similarity": .string(settings.similarity.rawValue), "halfLifeDays": .double(settings.halfLifeDays),
        ])
        return report
    }
}
