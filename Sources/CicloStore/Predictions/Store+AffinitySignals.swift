import CicloCore
import Foundation
import SQLKit

/// Grouped signals the affinities are computed from, read one range of profile ids at a time.
public struct AffinitySignals: Sendable {
    /// profile → channel → (messages sent, messages engaged with).
    public var channels: [Int64: [String: (sent: Int, engaged: Int)]] = [:]
    /// profile → UTC hour of the week (0 = Sunday 00:00) → engagements.
    public var hours: [Int64: [Int: Int]] = [:]
    /// profile → category → recency-weighted interest.
    public var categories: [Int64: [String: Double]] = [:]
    /// profile → brand → recency-weighted interest.
    public var brands: [Int64: [String: Double]] = [:]
    /// profile → time zone.
    public var timeZones: [Int64: String] = [:]
}

extension Store {
    /// Engagement events per channel, by name.
    static let engagementChannels: [String: String] = [
        "Email Opened": "email", "Email Link Clicked": "email", "SMS Link Clicked": "sms", "SMS Replied": "sms",
        "WhatsApp Message Read": "whatsapp", "WhatsApp Link Clicked": "whatsapp", "Push Notification Opened": "push",
        "On-Site Message Clicked": "onsite", "In-App Message Clicked": "onsite",
    ]

    /// Events that show when someone is paying attention, for the best send hour (pages count too).
    static let engagedEvents = engagementChannels.keys.sorted() + ["Order Completed", "Product Viewed", "Product Added"]

    /// The channel an engagement event or a `Message Sent` belongs to.
    static func channelExpression(_ dialect: Dialect) -> String {
        let channel = dialect == .sqlite ? "json_extract(properties, '$.channel')" : "(properties->>'channel')"
        return "CASE event " + engagementChannels.sorted { $0.key < $1.key }.map { "WHEN '\($0.key)' THEN '\($0.value)'" }.joined(separator: " ")
            + " ELSE CAST(\(channel) AS TEXT) END"
    }

    /// Workspace-wide totals the priors are learnt from: per channel (sent, engaged) and engagements per UTC hour of week.
    public func affinityTotals(workspaceId: Int64, since: Int64) async throws -> (channels: [String: (sent: Int, engaged: Int)], hours: [Int]) {
        try await database.read { session in
            let sqlite = session.dialect == .sqlite
            let messageId = sqlite ? "CAST(json_extract(properties, '$.message_id') AS TEXT)" : "(properties->>'message_id')"
            let events = session.dialect.events(.byName)
            var channels: [String: (sent: Int, engaged: Int)] = [:]
            for row in try await session.sql.raw("""
                SELECT \(unsafeRaw: Self.channelExpression(session.dialect)) AS channel, SUM(CASE WHEN event = 'Message Sent' THEN 1 ELSE 0 END) AS sent,
                COUNT(DISTINCT CASE WHEN event <> 'Message Sent' THEN \(unsafeRaw: messageId) END) AS engaged
                FROM \(unsafeRaw: events) WHERE workspace_id = \(bind: workspaceId) AND timestamp >= \(bind: since)
                AND event IN (\(binds: ["Message Sent"] + Self.engagementChannels.keys.sorted())) GROUP BY 1
                """).all() {
                if let channel = try row.decode(column: "channel", as: String?.self) {
                    channels[channel] = (try row.decode(column: "sent", as: Int.self), try row.decode(column: "engaged", as: Int.self))
                }
            }
            var hours = [Int](repeating: 0, count: 168)
            for row in try await session.sql.raw("""
                SELECT ((timestamp / 3600000) + 96) % 168 AS hour, COUNT(*) AS n FROM \(unsafeRaw: events)
                WHERE workspace_id = \(bind: workspaceId) AND timestamp >= \(bind: since) AND event IN (\(binds: Self.engagedEvents)) GROUP BY 1
                """).all() {
                let h = try row.decode(column: "hour", as: Int.self)
                if (0..<168).contains(h) { hours[h] = try row.decode(column: "n", as: Int.self) }
            }
            return (channels, hours)
        }
    }

    /// Reads the signals of profiles with ids in `lo...hi` since `since` (ms); interest halves every 30 days of age.
    public func affinitySignals(workspaceId: Int64, ids lo: Int64, _ hi: Int64, since: Int64, now: Int64) async throws -> AffinitySignals {
        try await database.read { session in
            let sqlite = session.dialect == .sqlite
            func prop(_ name: String) -> String { sqlite ? "json_extract(properties, '$.\(name)')" : "(properties->>'\(name)')" }
            let events = session.dialect.events(.byProfile)
            var signals = AffinitySignals()
            let channelCase = Self.channelExpression(session.dialect)
            let names = ["Message Sent"] + Self.engagementChannels.keys.sorted()
            for row in try await session.sql.raw("""
                SELECT profile_id, \(unsafeRaw: channelCase) AS channel,
                SUM(CASE WHEN event = 'Message Sent' THEN 1 ELSE 0 END) AS sent,
                COUNT(DISTINCT CASE WHEN event <> 'Message Sent' THEN CAST(\(unsafeRaw: prop("message_id")) AS TEXT) END) AS engaged
                FROM \(unsafeRaw: events) WHERE workspace_id = \(bind: workspaceId) AND profile_id BETWEEN \(bind: lo) AND \(bind: hi)
                AND timestamp >= \(bind: since) AND event IN (\(binds: names)) GROUP BY 1, 2
                """).all() {
                guard let channel = try row.decode(column: "channel", as: String?.self) else { continue }
                signals.channels[try row.decode(column: "profile_id", as: Int64.self), default: [:]][channel] =
                    (try row.decode(column: "sent", as: Int.self), try row.decode(column: "engaged", as: Int.self))
            }
            let engaged = Self.engagedEvents
            for row in try await session.sql.raw("""
                SELECT profile_id, ((timestamp / 3600000) + 96) % 168 AS hour, COUNT(*) AS n
                FROM \(unsafeRaw: events) WHERE workspace_id = \(bind: workspaceId) AND profile_id BETWEEN \(bind: lo) AND \(bind: hi)
                AND timestamp >= \(bind: since) AND (event IN (\(binds: engaged)) OR type = 'page') GROUP BY 1, 2
                """).all() {
                signals.hours[try row.decode(column: "profile_id", as: Int64.self), default: [:]][try row.decode(column: "hour", as: Int.self)] =
                    try row.decode(column: "n", as: Int.self)
            }
            // Interest from views, adds and ordered products; age in 30-day steps, each halving the weight.
            let age = "((\(now) - timestamp) / 2592000000)"
            var query: SQLQueryString = """
                SELECT profile_id, category, brand, age, COUNT(*) AS n FROM (
                SELECT profile_id, CAST(\(unsafeRaw: prop("category")) AS TEXT) AS category, CAST(\(unsafeRaw: prop("brand")) AS TEXT) AS brand,
                \(unsafeRaw: age) AS age FROM \(unsafeRaw: events) WHERE workspace_id = \(bind: workspaceId)
                AND profile_id BETWEEN \(bind: lo) AND \(bind: hi) AND timestamp >= \(bind: since) AND event IN ('Product Viewed', 'Product Added')
                UNION ALL
                """
            if sqlite {
                query += """
                     SELECT e.profile_id, CAST(json_extract(j.value, '$.category') AS TEXT), CAST(json_extract(j.value, '$.brand') AS TEXT),
                    ((\(unsafeRaw: String(now)) - e.timestamp) / 2592000000) FROM \(unsafeRaw: session.dialect.events(.byProfile, as: "e")),
                    json_each(e.properties, '$.products') AS j
                    """
            } else {
                query += """
                     SELECT e.profile_id, j.value->>'category', j.value->>'brand', ((\(unsafeRaw: String(now)) - e.timestamp) / 2592000000)
                    FROM events AS e, jsonb_array_elements(CASE WHEN jsonb_typeof(e.properties->'products') = 'array'
                    THEN e.properties->'products' ELSE '[]'::jsonb END) AS j(value)
                    """
            }
            // Only object lines count: `"products": ["x"]` is legal JSON, and json_extract on a bare string fails.
            let objectLines = sqlite ? " AND j.type = 'object'" : " AND jsonb_typeof(j.value) = 'object'"
            query += """
                 WHERE e.workspace_id = \(bind: workspaceId) AND e.profile_id BETWEEN \(bind: lo) AND \(bind: hi)
                AND e.timestamp >= \(bind: since) AND e.event = 'Order Completed'\(unsafeRaw: objectLines)) AS interest
                GROUP BY profile_id, category, brand, age
                """
            for row in try await session.sql.raw(query).all() {
                let id = try row.decode(column: "profile_id", as: Int64.self)
                let weight = Double(try row.decode(column: "n", as: Int.self)) * pow(0.5, Double(try row.decode(column: "age", as: Int.self)))
                if let c = try row.decode(column: "category", as: String?.self), !c.isEmpty { signals.categories[id, default: [:]][c, default: 0] += weight }
                if let b = try row.decode(column: "brand", as: String?.self), !b.isEmpty { signals.brands[id, default: [:]][b, default: 0] += weight }
            }
            for row in try await session.sql.raw("""
                SELECT id, time_zone FROM profiles WHERE workspace_id = \(bind: workspaceId) AND id BETWEEN \(bind: lo) AND \(bind: hi)
                AND merged_into IS NULL AND time_zone IS NOT NULL
                """).all() {
                signals.timeZones[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "time_zone", as: String.self)
            }
            return signals
        }
    }
}
