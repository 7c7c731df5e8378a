import CicloCore
import CicloStore
import Foundation

/// Serves recommendation lists from the trained tables: the asked strategy first, then the fallback chain
/// (personalised → similar to recently viewed → popular in category → popular), every item labelled with the
/// strategy that produced it and filtered by the business rules.
public struct RecommendationService: Sendable {
    public enum Strategy: String, Sendable, CaseIterable {
        case personalised, popular, trending, similar, boughtTogether = "bought_together", recentlyViewed = "recently_viewed"
    }

    /// One list: products with their strategies, and whether the person was known.
    public struct Recommendations: Sendable {
        public var items: [(product: CatalogueProduct, strategy: String)]
        public var personKnown: Bool
    }

    let store: Store
    let settings: RecommenderSettings
    public static let maxK = 100

    public init(store: Store, settings: RecommenderSettings = RecommenderSettings()) { (self.store, self.settings) = (store, settings) }

    /// A list of `k` for a person (nil: anonymous or unknown, which falls back to popular) or around a seed product.
    public func recommend(workspaceId: Int64, profileId: Int64?, strategy: Strategy, k: Int, category: String? = nil, seed: String? = nil,
                          exclude: Set<String> = [], replenishable: Set<String> = []) async throws -> Recommendations {
        guard (1...Self.maxK).contains(k) else { throw CicloError.badRequest("invalid_k", "k is a whole number from 1 to \(Self.maxK).") }
        if (strategy == .similar || strategy == .boughtTogether), seed == nil {
            throw CicloError.badRequest("missing_seed", "The \(strategy.rawValue) strategy needs a product (productId).")
        }
        let now = store.clock.now().epochMilliseconds
        var history: [ProductInteraction] = []
        if let profileId { history = try await store.productHistory(workspaceId: workspaceId, since: now - 365 * 86_400_000, profileId: profileId).interactions }
        let recent = Self.recentlyViewed(history, limit: 20)
        let pool = max(50, k * 5)
        var chain: [(String, [String])] = []
        func neighbours(_ name: String, _ of: [String]) async throws -> [String: [(product: String, score: Double)]] {
            try await store.productNeighbours(workspaceId: workspaceId, strategy: name, of: of)
        }
        switch strategy {
        case .personalised:
            let touched = Array(Set(history.map { $0.product }))
            chain.append(("personalised", RecommenderModel.personalised(history, neighbours: try await neighbours("similar", touched), settings: settings, reference: now)))
        case .similar, .boughtTogether:
            let name = strategy == .similar ? "similar" : "bought_together"
            let found = try await neighbours(name, [seed!])
            chain.append((name, (found[seed!] ?? []).map { $0.product }))
        case .recentlyViewed:
            chain.append(("recently_viewed", recent))
        case .popular, .trending:
            chain.append((strategy.rawValue, try await store.rankedProducts(workspaceId: workspaceId, by: strategy.rawValue, category: category, limit: pool)))
        }
        if strategy != .recentlyViewed {
            if !recent.isEmpty { chain.append(("similar_to_recent", RecommenderModel.similarToRecent(recent, neighbours: try await neighbours("similar", Array(recent.prefix(5)))))) }
            var favourite = category
            if favourite == nil { favourite = try await store.catalogue(workspaceId: workspaceId, ids: Array(recent.prefix(1))).values.first?.category }
            if let favourite { chain.append(("popular_in_category", try await store.rankedProducts(workspaceId: workspaceId, by: "popular", category: favourite, limit: pool))) }
            chain.append(("popular", try await store.rankedProducts(workspaceId: workspaceId, by: "popular", limit: pool)))
        }
        let catalogue = try await store.catalogue(workspaceId: workspaceId, ids: chain.flatMap { $0.1.prefix(pool) })
        var rules = RecommendationRules(now: now)
        rules.purchased = Set(history.filter { $0.kind == .purchase }.map { $0.product })
        rules.replenishable = replenishable
        rules.seed = seed
        // A personalised list is for discovery: what the person already looked at is shown by recently viewed instead.
        rules.deny = strategy == .personalised ? exclude.union(history.map { $0.product }) : exclude
        rules.category = category
        if strategy == .recentlyViewed { rules.purchased = [] }
        let list = rules.fill(k, chain: chain.map { ($0.0, Array($0.1.prefix(pool))) }, catalogue: catalogue)
        return Recommendations(items: list.map { (catalogue[$0.product] ?? CatalogueProduct(id: $0.product), $0.strategy) }, personKnown: profileId != nil)
    }

    /// The last `limit` distinct products a person viewed, newest first.
    static func recentlyViewed(_ history: [ProductInteraction], limit: Int) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for i in history.filter({ $0.kind == .view }).sorted(by: { ($0.time, $0.product) > ($1.time, $1.product) }) where !seen.contains(i.product) {
            seen.insert(i.product)
            out.append(i.product)
            if out.count == limit { break }
        }
        return out
    }
}
