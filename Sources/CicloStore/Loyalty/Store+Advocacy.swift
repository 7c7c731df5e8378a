import CicloCore
import Foundation
import SQLKit

/// NPS for one group of answers (a stage, persona or month).
public struct NPSGroup: Sendable, Codable, Equatable {
    public var group: String
    public var score: NPSScore
}

/// Reviews of one product (and persona, when broken down): how many, and the mean rating.
public struct ProductReviews: Sendable, Codable, Equatable {
    public var productId: String
    public var persona: String?
    public var reviews: Int
    public var averageRating: Double
    public init(productId: String, persona: String?, reviews: Int, averageRating: Double) {
        (self.productId, self.persona, self.reviews, self.averageRating) = (productId, persona, reviews, averageRating)
    }
}

extension Store {
    /// `NPS Submitted` answers (the latest per person and month) grouped by `stage`, `persona` or `month`, with counts.
    public func npsBreakdown(workspaceId: Int64, by dimension: String, since: Int64 = 0) async throws -> [NPSGroup] {
        let d = dialect
        let score = d == .sqlite
            ? "CASE WHEN typeof(json_extract(e.properties, '$.score')) IN ('integer', 'real') THEN CAST(json_extract(e.properties, '$.score') AS INTEGER) END"
            : "CASE WHEN (e.properties->>'score') ~ '^[0-9]{1,2}$' THEN CAST(e.properties->>'score' AS INTEGER) END"
        let month = d == .sqlite ? "strftime('%Y-%m', e.timestamp / 1000, 'unixepoch')" : "to_char(to_timestamp(e.timestamp / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')"
        let group: String
        switch dimension {
        case "stage": group = "COALESCE(p.stage, 'none')"
        case "persona": group = "COALESCE(p.persona, 'none')"
        case "month": group = month
        case "all": group = "'all'"
        default: throw CicloError.badRequest("invalid_parameter", "by is stage, persona, month or all.")
        }
        return try await database.read { session in
            try await session.sql.raw("""
                WITH answers AS (
                  SELECT \(unsafeRaw: group) AS g, \(unsafeRaw: score) AS s FROM \(unsafeRaw: d.events(.byName, as: "e"))
                  JOIN profiles p ON p.id = e.profile_id
                  WHERE e.workspace_id = \(bind: workspaceId) AND e.event = 'NPS Submitted' AND e.timestamp >= \(bind: since))
                SELECT g, CAST(SUM(CASE WHEN s BETWEEN 9 AND 10 THEN 1 ELSE 0 END) AS BIGINT) AS promoters,
                  CAST(SUM(CASE WHEN s BETWEEN 7 AND 8 THEN 1 ELSE 0 END) AS BIGINT) AS passives,
                  CAST(SUM(CASE WHEN s BETWEEN 0 AND 6 THEN 1 ELSE 0 END) AS BIGINT) AS detractors
                FROM answers WHERE s BETWEEN 0 AND 10 GROUP BY g ORDER BY g
                """).all().map { r in
                NPSGroup(group: try r.decode(column: "g", as: String.self),
                         score: NPSScore(promoters: try r.decode(column: "promoters", as: Int.self), passives: try r.decode(column: "passives", as: Int.self),
                                         detractors: try r.decode(column: "detractors", as: Int.self)))
            }
        }
    }

    /// `Review Submitted` events aggregated per product (ratings 1–5), or per product and the reviewer's persona,
    /// most reviewed first.
    public func productReviews(workspaceId: Int64, byPersona: Bool = false, limit: Int = 100) async throws -> [ProductReviews] {
        let d = dialect
        let product = d == .sqlite ? "CAST(json_extract(e.properties, '$.product_id') AS TEXT)" : "(e.properties->>'product_id')"
        let rating = d == .sqlite
            ? "CASE WHEN typeof(json_extract(e.properties, '$.rating')) IN ('integer', 'real') THEN CAST(json_extract(e.properties, '$.rating') AS REAL) END"
            : "CASE WHEN (e.properties->>'rating') ~ '^[0-9]+(\\.[0-9]+)?$' THEN CAST(e.properties->>'rating' AS DOUBLE PRECISION) END"
        return try await database.read { session in
            try await session.sql.raw("""
                SELECT \(unsafeRaw: product) AS product, \(unsafeRaw: byPersona ? "COALESCE(p.persona, 'none')" : "NULL") AS persona, COUNT(*) AS n,
                  AVG(\(unsafeRaw: rating)) AS rating FROM \(unsafeRaw: d.events(.byName, as: "e")) LEFT JOIN profiles p ON p.id = e.profile_id
                WHERE e.workspace_id = \(bind: workspaceId) AND e.event = 'Review Submitted' AND \(unsafeRaw: product) IS NOT NULL
                GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT \(bind: limit)
                """).all().map { r in
                ProductReviews(productId: try r.decode(column: "product", as: String.self), persona: try r.decode(column: "persona", as: String?.self),
                               reviews: try r.decode(column: "n", as: Int.self), averageRating: try r.decode(column: "rating", as: Double?.self) ?? 0)
            }
        }
    }
}

extension Store {
    /// Records a person's latest NPS answer on their profile, inside the batch that brought it.
    public static func recordNPS(in session: DatabaseSession, workspaceId: Int64, profileId: Int64, score: Int) async throws {
        guard let category = NPSScore.category(score) else { return }
        try await session.sql.raw("""
            UPDATE profiles SET nps_category = \(bind: category), nps_score = \(bind: score) WHERE workspace_id = \(bind: workspaceId) AND id = \(bind: profileId)
            """).run()
    }

    /// Claims the right to send `profileId` a survey now: false (drop it, do not queue it) when one went out on any
    /// channel within `throttleDays`. One statement, so two deliveries at once cannot both claim it.
    public func claimSurveySend(workspaceId: Int64, profileId: Int64, throttleDays: Int = 30) async throws -> Bool {
        let now = self.now
        let cutoff = now - Int64(throttleDays) * 86_400_000
        return try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO survey_sends (workspace_id, profile_id, sent_at) VALUES (\(bind: workspaceId), \(bind: profileId), \(bind: now))
                ON CONFLICT (workspace_id, profile_id) DO UPDATE SET sent_at = excluded.sent_at WHERE survey_sends.sent_at <= \(bind: cutoff)
                RETURNING sent_at
                """).first() != nil
        }
    }
}
