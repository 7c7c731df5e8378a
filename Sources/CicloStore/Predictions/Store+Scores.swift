import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Writes purchase scores for many profiles, in chunks of one transaction each.
    public func saveScores(workspaceId: Int64, _ scores: [(profileId: Int64, scores: ProfileScores)]) async throws {
        for chunk in scores.chunked(into: 5_000) {
            try await database.write(priority: .background) { session in
                try await BulkUpdate(table: "profiles", columns: [
                    ("id", .bigint), ("p_alive", .double), ("churn_risk", .double), ("expected_orders_90d", .double),
                    ("purchase_probability_30d", .double), ("expected_order_value", .double), ("predicted_clv_12m", .double),
                    ("clv_percentile", .double), ("scored_at", .bigint),
                ], rows: chunk.map { id, s in
                    [.int(id), .double(s.pAlive), .double(s.churnRisk), .double(s.expectedOrders90d), .double(s.purchaseProbability30d),
                     .double(s.expectedOrderValue), .double(s.predictedClv12m), .double(s.clvPercentile), .int(s.scoredAt)]
                }, scope: ["workspace_id = \(workspaceId)"]).run(in: session)
            }
        }
    }

    /// Discount affinity for every customer in one statement: coupons per order shrunk toward the workspace's share
    /// with a beta prior fitted by moments. Returns the prior's share and strength.
    public func updateDiscountAffinity(workspaceId: Int64) async throws -> (share: Double, strength: Double) {
        let stats = try await database.read { session in
            try await session.sql.raw("""
                SELECT CAST(SUM(orders_with_coupon) AS DOUBLE PRECISION) AS k, CAST(SUM(order_count) AS DOUBLE PRECISION) AS n,
                CAST(SUM(CASE WHEN order_count >= 2 THEN 1 ELSE 0 END) AS DOUBLE PRECISION) AS m,
                CAST(SUM(CASE WHEN order_count >= 2 THEN 1.0 * orders_with_coupon / order_count ELSE 0 END) AS DOUBLE PRECISION) AS s1,
                CAST(SUM(CASE WHEN order_count >= 2 THEN (1.0 * orders_with_coupon / order_count) * (1.0 * orders_with_coupon / order_count)
                ELSE 0 END) AS DOUBLE PRECISION) AS s2
                FROM profiles WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL AND order_count > 0
                """).first()
        }
        let k = try stats?.decode(column: "k", as: Double?.self) ?? 0, n = try stats?.decode(column: "n", as: Double?.self) ?? 0
        guard n > 0 else { return (0, 0) }
        let share = k / n
        let m = try stats?.decode(column: "m", as: Double?.self) ?? 0
        var strength = 10.0
        if m >= 10, share > 0, share < 1 {
            let s1 = try stats?.decode(column: "s1", as: Double?.self) ?? 0, s2 = try stats?.decode(column: "s2", as: Double?.self) ?? 0
            let mean = s1 / m, variance = max(0, (s2 - m * mean * mean) / (m - 1))
            strength = Shrinkage.strength(mean: mean, variance: variance)
        }
        let prior = strength
        try await database.write(priority: .background) { session in
            try await session.sql.raw("""
                UPDATE profiles SET discount_affinity = (orders_with_coupon + \(bind: share * prior)) / (order_count + \(bind: prior))
                WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL AND order_count > 0
                """).run()
        }
        return (share, strength)
    }

    /// Writes affinities for a set of profiles: preferred channel with per-channel rates, best send hour, top
    /// category and brand.
    public func saveAffinities(workspaceId: Int64, _ rows: [(profileId: Int64, channels: JSONValue?, preferred: String?, hour: Int?,
                                                          category: String?, brand: String?)]) async throws {
        for chunk in rows.chunked(into: 5_000) {
            try await database.write(priority: .background) { session in
                try await BulkUpdate(table: "profiles", columns: [
                    ("id", .bigint), ("channel_affinity", .json), ("preferred_channel", .text), ("best_send_hour", .bigint),
                    ("top_category", .text), ("top_brand", .text),
                ], rows: chunk.map {
                    [.int($0.profileId), .json(($0.channels ?? .null).jsonText), .text($0.preferred), .int($0.hour.map(Int64.init)),
                     .text($0.category), .text($0.brand)]
                }, scope: ["workspace_id = \(workspaceId)"]).run(in: session)
            }
        }
    }

    /// Live profile ids in id order, for walking the workspace in ranges.
    public func profileIdRange(workspaceId: Int64) async throws -> (min: Int64, max: Int64)? {
        try await database.read { session in
            guard let row = try await session.sql.raw("""
                SELECT MIN(id) AS lo, MAX(id) AS hi FROM profiles WHERE workspace_id = \(bind: workspaceId)
                """).first(), let lo = try row.decode(column: "lo", as: Int64?.self), let hi = try row.decode(column: "hi", as: Int64?.self) else { return nil }
            return (lo, hi)
        }
    }
}
