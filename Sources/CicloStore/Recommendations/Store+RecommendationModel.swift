import CicloCore
import Foundation
import SQLKit

/// A product's trained scores.
public struct ProductScore: Sendable, Equatable {
    public var product: String
    public var popular: Double
    public var trending: Double?
    public init(product: String, popular: Double, trending: Double?) { (self.product, self.popular, self.trending) = (product, popular, trending) }
}

/// A neighbour of a product under a strategy (`similar`, `bought_together`).
public struct ProductNeighbour: Sendable, Equatable {
    public var strategy: String
    public var product: String
    public var neighbour: String
    public var score: Double
    public init(strategy: String, product: String, neighbour: String, score: Double) {
        (self.strategy, self.product, self.neighbour, self.score) = (strategy, product, neighbour, score)
    }
}

extension Store {
    /// Replaces the workspace's trained model in one transaction, so readers see the old one or the new one.
    public func saveRecommendationModel(workspaceId: Int64, scores: [ProductScore], neighbours: [ProductNeighbour], summary: JSONValue) async throws {
        let now = self.now
        try await database.write { session in
            try await session.sql.raw("DELETE FROM product_scores WHERE workspace_id = \(bind: workspaceId)").run()
            try await session.sql.raw("DELETE FROM product_neighbours WHERE workspace_id = \(bind: workspaceId)").run()
            for chunk in scores.chunked(into: 1_000) {
                var q: SQLQueryString = "INSERT INTO product_scores (workspace_id, product_id, popular, trending) VALUES "
                for (i, s) in chunk.enumerated() { q += (i == 0 ? "" : ", ") + "(\(bind: workspaceId), \(bind: s.product), \(bind: s.popular), \(bind: s.trending))" }
                try await session.sql.raw(q).run()
            }
            for chunk in neighbours.chunked(into: 1_000) {
                var q: SQLQueryString = "INSERT INTO product_neighbours (workspace_id, strategy, product_id, neighbour_id, score) VALUES "
                for (i, n) in chunk.enumerated() {
                    q += (i == 0 ? "" : ", ") + "(\(bind: workspaceId), \(bind: n.strategy), \(bind: n.product), \(bind: n.neighbour), \(bind: n.score))"
                }
                try await session.sql.raw(q).run()
            }
            let text = summary.jsonText
            try await session.sql.raw("""
                INSERT INTO recommendation_models (workspace_id, trained_at, summary) VALUES (\(bind: workspaceId), \(bind: now), \(bind: text)\(unsafeRaw: session.dialect.jsonCast))
                ON CONFLICT (workspace_id) DO UPDATE SET trained_at = excluded.trained_at, summary = excluded.summary
                """).run()
        }
    }

    /// When the model was last trained, and what it said about itself.
    public func recommendationModel(workspaceId: Int64) async throws -> (trainedAt: Int64, summary: JSONValue)? {
        try await database.read { session in
            guard let row = try await session.sql.raw("""
                SELECT trained_at, \(unsafeRaw: session.dialect.jsonText("summary")) AS s FROM recommendation_models WHERE workspace_id = \(bind: workspaceId)
                """).first() else { return nil }
            return (try row.decode(column: "trained_at", as: Int64.self), (try? JSONValue.parse(try row.decode(column: "s", as: String.self))) ?? [:])
        }
    }

    /// The most popular (or trending) products, optionally in one category; ties by ascending product id.
    public func rankedProducts(workspaceId: Int64, by measure: String, category: String? = nil, limit: Int) async throws -> [String] {
        let column = measure == "trending" ? "s.trending" : "s.popular"
        return try await database.read { session in
            var q: SQLQueryString = "SELECT s.product_id FROM product_scores s"
            if category != nil { q += " JOIN products p ON p.workspace_id = s.workspace_id AND p.product_id = s.product_id" }
            q += " WHERE s.workspace_id = \(bind: workspaceId) AND \(unsafeRaw: column) IS NOT NULL"
            if let category { q += " AND p.category = \(bind: category)" }
            q += " ORDER BY \(unsafeRaw: column) DESC, s.product_id LIMIT \(bind: limit)"
            return try await session.sql.raw(q).all().map { try $0.decode(column: "product_id", as: String.self) }
        }
    }

    /// Neighbours of the given products under a strategy, best first, ties by ascending id.
    public func productNeighbours(workspaceId: Int64, strategy: String, of products: [String]) async throws -> [String: [(product: String, score: Double)]] {
        guard !products.isEmpty else { return [:] }
        return try await database.read { session in
            var out: [String: [(String, Double)]] = [:]
            for r in try await session.sql.raw("""
                SELECT product_id, neighbour_id, score FROM product_neighbours WHERE workspace_id = \(bind: workspaceId) AND strategy = \(bind: strategy)
                AND product_id IN (\(binds: Array(Set(products)))) ORDER BY product_id, score DESC, neighbour_id
                """).all() {
                out[try r.decode(column: "product_id", as: String.self), default: []].append((try r.decode(column: "neighbour_id", as: String.self),
                                                                                              try r.decode(column: "score", as: Double.self)))
            }
            return out
        }
    }
}
