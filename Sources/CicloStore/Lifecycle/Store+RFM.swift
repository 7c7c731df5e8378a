import CicloCore
import Foundation
import SQLKit

/// What an RFM run did.
public struct RFMReport: Sendable, Codable, Equatable {
    public var customers: Int
    public var segments: [String: Int]
    public var seconds: Double
}

extension Store {
    /// Scores every customer with an order 1–5 on recency (recent is 5), frequency and monetary value by quintile
    /// (ties broken by profile id, so the same data always scores the same), names their RFM segment, and clears
    /// scores of people without orders. One statement inside the database.
    public func runRFM(workspaceId: Int64) async throws -> RFMReport {
        let started = ContinuousClock.now
        let rules = try await rfmRules(workspaceId: workspaceId)
        let now = self.now
        try await database.write(priority: .background) { session in
            var caseSQL: SQLQueryString = "CASE"
            for rule in rules.rules {
                caseSQL += " WHEN s.r BETWEEN \(literal: rule.recency.lowerBound) AND \(literal: rule.recency.upperBound)"
                caseSQL += " AND s.f BETWEEN \(literal: rule.frequency.lowerBound) AND \(literal: rule.frequency.upperBound)"
                caseSQL += " AND s.m BETWEEN \(literal: rule.monetary.lowerBound) AND \(literal: rule.monetary.upperBound)"
                caseSQL += " THEN \(bind: rule.name)"
            }
            caseSQL += " ELSE 'Others' END"
            var sql: SQLQueryString = """
                WITH c AS (SELECT id, last_order_at, order_count, total_revenue FROM profiles
                           WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL AND order_count > 0),
                s AS (SELECT id, NTILE(5) OVER (ORDER BY last_order_at, id) AS r, NTILE(5) OVER (ORDER BY order_count, id) AS f,
                             NTILE(5) OVER (ORDER BY total_revenue, id) AS m FROM c)
                UPDATE profiles SET rfm_recency = s.r, rfm_frequency = s.f, rfm_monetary = s.m, rfm_scored_at = \(bind: now), rfm_segment =
                """
            sql += " " + caseSQL + " FROM s WHERE profiles.id = s.id"
            try await session.sql.raw(sql).run()
            try await session.sql.raw("""
                UPDATE profiles SET rfm_recency = NULL, rfm_frequency = NULL, rfm_monetary = NULL, rfm_segment = NULL
                WHERE workspace_id = \(bind: workspaceId) AND order_count = 0 AND rfm_segment IS NOT NULL
                """).run()
        }
        let counts = try await database.read { session in
            try await session.sql.raw("""
                SELECT rfm_segment, COUNT(*) AS n FROM profiles WHERE workspace_id = \(bind: workspaceId)
                AND merged_into IS NULL AND rfm_segment IS NOT NULL GROUP BY rfm_segment
                """).all().map { (try $0.decode(column: "rfm_segment", as: String.self), try $0.decode(column: "n", as: Int.self)) }
        }
        let elapsed = ContinuousClock.now - started
        return RFMReport(customers: counts.reduce(0) { $0 + $1.1 }, segments: Dictionary(uniqueKeysWithValues: counts),
                         seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
