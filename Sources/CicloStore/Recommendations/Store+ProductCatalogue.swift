import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Adds or replaces catalogue products (an import is the source of truth for stock and visibility).
    public func upsertProducts(workspaceId: Int64, _ products: [CatalogueProduct]) async throws {
        let now = self.now
        for chunk in products.chunked(into: 500) {
            try await database.write { session in
                var query: SQLQueryString = "INSERT INTO products (workspace_id, product_id, name, category, price, in_stock, hidden, expires_at, updated_at) VALUES "
                for (i, p) in chunk.enumerated() {
                    query += (i == 0 ? "" : ", ") + "(\(bind: workspaceId), \(bind: p.id), \(bind: p.name), \(bind: p.category), \(bind: p.price), \(bind: p.inStock), \(bind: p.hidden), \(bind: p.expiresAt), \(bind: now))"
                }
                query += """
                     ON CONFLICT (workspace_id, product_id) DO UPDATE SET name = excluded.name, category = excluded.category, price = excluded.price,
                    in_stock = excluded.in_stock, hidden = excluded.hidden, expires_at = excluded.expires_at, updated_at = excluded.updated_at
                    """
                try await session.sql.raw(query).run()
            }
        }
    }

    /// Learns products seen in events without touching imported stock and visibility flags.
    public func learnProducts(workspaceId: Int64, _ products: [CatalogueProduct]) async throws {
        let now = self.now
        for chunk in products.chunked(into: 500) {
            try await database.write { session in
                var query: SQLQueryString = "INSERT INTO products (workspace_id, product_id, name, category, price, updated_at) VALUES "
                for (i, p) in chunk.enumerated() {
                    query += (i == 0 ? "" : ", ") + "(\(bind: workspaceId), \(bind: p.id), \(bind: p.name), \(bind: p.category), \(bind: p.price), \(bind: now))"
                }
                query += """
                     ON CONFLICT (workspace_id, product_id) DO UPDATE SET name = COALESCE(products.name, excluded.name),
                    category = COALESCE(products.category, excluded.category), price = COALESCE(products.price, excluded.price)
                    """
                try await session.sql.raw(query).run()
            }
        }
    }

    /// Catalogue entries for the given product ids.
    public func catalogue(workspaceId: Int64, ids: [String]) async throws -> [String: CatalogueProduct] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { session in
            var out: [String: CatalogueProduct] = [:]
            for chunk in Array(Set(ids)).chunked(into: 5_000) {
                for r in try await session.sql.raw("""
                    SELECT product_id, name, category, price, in_stock, hidden, expires_at FROM products
                    WHERE workspace_id = \(bind: workspaceId) AND product_id IN (\(binds: chunk))
                    """).all() {
                    let p = CatalogueProduct(id: try r.decode(column: "product_id", as: String.self), name: try r.decode(column: "name", as: String?.self),
                                             category: try r.decode(column: "category", as: String?.self), price: try r.decode(column: "price", as: Double?.self),
                                             inStock: try r.decode(column: "in_stock", as: Bool.self), hidden: try r.decode(column: "hidden", as: Bool.self),
                                             expiresAt: try r.decode(column: "expires_at", as: Int64?.self))
                    out[p.id] = p
                }
            }
            return out
        }
    }
}

extension Store {
    /// Ids of live profiles, lowest first (for benchmarks and sampling).
    public func liveProfileIds(workspaceId: Int64, limit: Int) async throws -> [Int64] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT id FROM profiles WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL ORDER BY id LIMIT \(bind: limit)
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
    }
}
