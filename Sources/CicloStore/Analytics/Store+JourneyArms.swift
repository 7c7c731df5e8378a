import CicloCore
import Foundation
import SQLKit

/// One arm of a journey, split by whether its people were held out of messages (split control or global control).
public struct JourneyArmSums: Sendable, Equatable {
    public var arm: String
    public var heldOut: Bool
    public var enrolled: Double
    public var converted: Double
    public var revenue: Double
    public var revenueSquares: Double

    public init(arm: String, heldOut: Bool, enrolled: Double, converted: Double, revenue: Double, revenueSquares: Double) {
        (self.arm, self.heldOut, self.enrolled, self.converted, self.revenue, self.revenueSquares) = (arm, heldOut, enrolled, converted, revenue, revenueSquares)
    }
}

/// An order with the message interactions before it, for attribution.
public struct OrderTouches: Sendable {
    public var at: Int64
    public var revenue: Double
    public var touches: [(kind: String, at: Int64, journey: String?, template: String?, channel: String?)]
}

extension Store {
    /// Per arm and held-out flag: enrolled, converted, revenue and its squares (for the statistics), for enrolments
    /// that started in [from, to).
    public func journeyArmSums(journeyId: Int64, from: Int64, to: Int64) async throws -> [JourneyArmSums] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT COALESCE(e.arm, '') AS arm, CASE WHEN e.control OR h.enrolment_id IS NOT NULL THEN 1 ELSE 0 END AS held,
                COUNT(*) AS n, COUNT(c.enrolment_id) AS converted, COALESCE(SUM(c.revenue), 0) AS revenue,
                COALESCE(SUM(c.revenue * c.revenue), 0) AS revenue2
                FROM enrolments e LEFT JOIN journey_conversions c ON c.enrolment_id = e.id
                LEFT JOIN (SELECT DISTINCT enrolment_id FROM journey_transitions WHERE journey_id = \(bind: journeyId) AND outcome = 'held_out') h
                ON h.enrolment_id = e.id
                WHERE e.journey_id = \(bind: journeyId) AND e.entered_at >= \(bind: from) AND e.entered_at < \(bind: to)
                GROUP BY COALESCE(e.arm, ''), CASE WHEN e.control OR h.enrolment_id IS NOT NULL THEN 1 ELSE 0 END
                """).all().map { row in
                JourneyArmSums(arm: try row.decode(column: "arm", as: String.self), heldOut: try row.decode(column: "held", as: Int.self) == 1,
                               enrolled: Double(try row.decode(column: "n", as: Int.self)), converted: Double(try row.decode(column: "converted", as: Int.self)),
                               revenue: try row.decode(column: "revenue", as: Double.self), revenueSquares: try row.decode(column: "revenue2", as: Double.self))
            }
        }
    }

    /// Orders in [from, to) with the interactions of the same person in the `lookback` before each.
    public func ordersWithTouches(workspaceId: Int64, from: Int64, to: Int64, lookback: Int64) async throws -> [OrderTouches] {
        let kinds: [String: String] = ["Email Opened": "email_open", "Email Link Clicked": "email_click", "SMS Link Clicked": "sms_click",
                                       "WhatsApp Link Clicked": "whatsapp_click", "Push Notification Opened": "push_open",
                                       "On-Site Message Clicked": "onsite_click"]
        return try await database.read { session in
            let d = session.dialect
            func prop(_ alias: String, _ name: String) -> String {
                d == .sqlite ? "CAST(json_extract(\(alias).properties, '$.\(name)') AS TEXT)" : "(\(alias).properties->>'\(name)')"
            }
            var orders: [Int64: OrderTouches] = [:]
            var query: SQLQueryString = "SELECT o.id AS oid, o.timestamp AS ot, o.amount AS revenue, t.event AS touch, t.timestamp AS tt, "
            query += "\(unsafeRaw: prop("t", "journey")) AS journey, \(unsafeRaw: prop("t", "template")) AS template, \(unsafeRaw: prop("t", "channel")) AS channel FROM ("
            query += OrderSQL.firstOrders(d, workspaceId: workspaceId, from: from, to: to)
            query += """
                ) AS o LEFT JOIN \(unsafeRaw: d.events(.byProfile, as: "t"))
                ON t.workspace_id = \(bind: workspaceId) AND t.profile_id = o.profile_id AND t.timestamp <= o.timestamp
                AND t.timestamp >= o.timestamp - \(bind: lookback) AND t.event IN (\(binds: kinds.keys.sorted()))
                """
            for row in try await session.sql.raw(query).all() {
                let id = try row.decode(column: "oid", as: Int64.self)
                let at = try row.decode(column: "ot", as: Int64.self), amount = try row.decode(column: "revenue", as: Double.self)
                var order = orders[id] ?? OrderTouches(at: at, revenue: max(0, amount), touches: [])
                if let name = try row.decode(column: "touch", as: String?.self), let kind = kinds[name] {
                    order.touches.append((kind, try row.decode(column: "tt", as: Int64.self), try row.decode(column: "journey", as: String?.self),
                                          try row.decode(column: "template", as: String?.self), try row.decode(column: "channel", as: String?.self)))
                }
                orders[id] = order
            }
            return orders.sorted { $0.key < $1.key }.map(\.value)
        }
    }
}
