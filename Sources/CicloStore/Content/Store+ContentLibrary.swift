import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Creates or replaces a content item.
    public func saveContentItem(workspaceId: Int64, _ item: ContentItem) async throws {
        let text = item.json.jsonText, now = self.now
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO content_items (workspace_id, key, status, goal_event, definition, updated_at)
                VALUES (\(bind: workspaceId), \(bind: item.key), \(bind: item.status.rawValue), \(bind: item.goalEvent), \(bind: text)\(unsafeRaw: session.dialect.jsonCast), \(bind: now))
                ON CONFLICT (workspace_id, key) DO UPDATE SET status = excluded.status, goal_event = excluded.goal_event,
                definition = excluded.definition, updated_at = excluded.updated_at
                """).run()
        }
    }

    /// The library, archived items left out unless asked for.
    public func contentItems(workspaceId: Int64, includeArchived: Bool = false) async throws -> [ContentItem] {
        try await database.read { session in
            var q: SQLQueryString = "SELECT \(unsafeRaw: session.dialect.jsonText("definition")) AS d FROM content_items WHERE workspace_id = \(bind: workspaceId)"
            if !includeArchived { q += " AND status <> 'archived'" }
            q += " ORDER BY key"
            return try await session.sql.raw(q).all().compactMap { try? ContentItem.parse(JSONValue.parse(try $0.decode(column: "d", as: String.self))) }
        }
    }

    /// One item by key.
    public func contentItem(workspaceId: Int64, key: String) async throws -> ContentItem? {
        try await contentItems(workspaceId: workspaceId, includeArchived: true).first { $0.key == key }
    }
}

/// How one item did with one stage and persona.
public struct ContentPerformance: Sendable, Equatable, Codable {
    public var key: String
    public var stage: String
    public var persona: String
    public var impressions: Int
    public var viewers: Int
    public var clicks: Int
    public var conversions: Int
    /// Clicks per impression and conversions per viewer, smoothed toward the item's rates over every stage and persona
    /// (a beta prior worth 20 observations), so a cell with three impressions does not claim 100%.
    public var smoothedClickRate: Double = 0
    public var smoothedConversionRate: Double = 0

    /// Fills the smoothed rates of rows from the same library.
    static func smooth(_ rows: [ContentPerformance], strength: Double = 20) -> [ContentPerformance] {
        var totals: [String: (impressions: Double, viewers: Double, clicks: Double, conversions: Double)] = [:]
        for r in rows {
            let t = totals[r.key] ?? (0, 0, 0, 0)
            totals[r.key] = (t.impressions + Double(r.impressions), t.viewers + Double(r.viewers), t.clicks + Double(r.clicks), t.conversions + Double(r.conversions))
        }
        return rows.map { r in
            var out = r
            let t = totals[r.key]!
            let clickPrior = t.impressions > 0 ? t.clicks / t.impressions : 0, conversionPrior = t.viewers > 0 ? t.conversions / t.viewers : 0
            out.smoothedClickRate = Shrinkage.rate(Double(r.clicks), of: Double(r.impressions), prior: clickPrior, strength: strength)
            out.smoothedConversionRate = Shrinkage.rate(Double(r.conversions), of: Double(r.viewers), prior: conversionPrior, strength: strength)
            return out
        }
    }
}

extension Store {
    /// Impressions (`Content Viewed`), unique viewers, clicks (`Content Clicked`) and conversions (the item's goal event
    /// by the same person within `window` after an impression) per item × the stage and persona the person was in at
    /// the impression; `profileId` narrows to one person.
    public func contentPerformance(workspaceId: Int64, since: Int64 = 0, profileId: Int64? = nil, window: Int64 = 7 * 86_400_000) async throws -> [ContentPerformance] {
        try await database.read { session in
            let d = session.dialect
            func prop(_ alias: String, _ name: String) -> String {
                d == .sqlite ? "CAST(json_extract(\(alias).properties, '$.\(name)') AS TEXT)" : "(\(alias).properties->>'\(name)')"
            }
            var person: SQLQueryString = ""
            if let profileId { person = " AND e.profile_id = \(bind: profileId)" }
            var q: SQLQueryString = """
                WITH imp AS (
                  SELECT e.profile_id, e.timestamp, \(unsafeRaw: prop("e", "content_key")) AS k, COALESCE(\(unsafeRaw: prop("e", "stage")), 'none') AS st,
                    COALESCE(\(unsafeRaw: prop("e", "persona")), 'none') AS pe
                  FROM \(unsafeRaw: d.events(.byName, as: "e")) WHERE e.workspace_id = \(bind: workspaceId) AND e.event = 'Content Viewed'
                  AND e.timestamp >= \(bind: since) AND e.profile_id IS NOT NULL
                """
            q += person + """
                )
                SELECT imp.k, imp.st, imp.pe, COUNT(*) AS impressions, COUNT(DISTINCT imp.profile_id) AS viewers,
                  COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM \(unsafeRaw: d.events(.byProfile, as: "g")) WHERE g.workspace_id = \(bind: workspaceId)
                    AND g.profile_id = imp.profile_id AND g.event = ci.goal_event AND g.timestamp > imp.timestamp
                    AND g.timestamp <= imp.timestamp + \(bind: window)) THEN imp.profile_id END) AS conversions
                FROM imp LEFT JOIN content_items ci ON ci.workspace_id = \(bind: workspaceId) AND ci.key = imp.k
                WHERE imp.k IS NOT NULL GROUP BY imp.k, imp.st, imp.pe
                """
            var rows = try await session.sql.raw(q).all().map { r in
                ContentPerformance(key: try r.decode(column: "k", as: String.self), stage: try r.decode(column: "st", as: String.self),
                                   persona: try r.decode(column: "pe", as: String.self), impressions: try r.decode(column: "impressions", as: Int.self),
                                   viewers: try r.decode(column: "viewers", as: Int.self), clicks: 0, conversions: try r.decode(column: "conversions", as: Int.self))
            }
            var clicks: SQLQueryString = """
                SELECT \(unsafeRaw: prop("e", "content_key")) AS k, COALESCE(\(unsafeRaw: prop("e", "stage")), 'none') AS st,
                  COALESCE(\(unsafeRaw: prop("e", "persona")), 'none') AS pe, COUNT(*) AS n
                FROM \(unsafeRaw: d.events(.byName, as: "e")) WHERE e.workspace_id = \(bind: workspaceId) AND e.event = 'Content Clicked'
                AND e.timestamp >= \(bind: since)
                """
            clicks += person + " GROUP BY 1, 2, 3"
            for r in try await session.sql.raw(clicks).all() {
                guard let k = try r.decode(column: "k", as: String?.self) else { continue }
                let st = try r.decode(column: "st", as: String.self), pe = try r.decode(column: "pe", as: String.self), n = try r.decode(column: "n", as: Int.self)
                if let i = rows.firstIndex(where: { $0.key == k && $0.stage == st && $0.persona == pe }) { rows[i].clicks = n } else {
                    rows.append(ContentPerformance(key: k, stage: st, persona: pe, impressions: 0, viewers: 0, clicks: n, conversions: 0))
                }
            }
            return ContentPerformance.smooth(rows.sorted { ($0.key, $0.stage, $0.persona) < ($1.key, $1.stage, $1.persona) })
        }
    }

    /// When a person last saw each item.
    public func contentLastShown(workspaceId: Int64, profileId: Int64) async throws -> [String: Int64] {
        try await database.read { session in
            let d = session.dialect
            let key = d == .sqlite ? "CAST(json_extract(e.properties, '$.content_key') AS TEXT)" : "(e.properties->>'content_key')"
            var out: [String: Int64] = [:]
            for r in try await session.sql.raw("""
                SELECT \(unsafeRaw: key) AS k, MAX(e.timestamp) AS t FROM \(unsafeRaw: d.events(.byProfile, as: "e"))
                WHERE e.workspace_id = \(bind: workspaceId) AND e.profile_id = \(bind: profileId) AND e.event = 'Content Viewed' GROUP BY 1
                """).all() {
                if let k = try r.decode(column: "k", as: String?.self) { out[k] = try r.decode(column: "t", as: Int64.self) }
            }
            return out
        }
    }
}
