import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Adds a batch's increments inside the batch's own transaction, so each event counts exactly once.
    static func addHourlyOrders(_ increments: [HourlyOrders], workspaceId: Int64, in session: DatabaseSession) async throws {
        guard !increments.isEmpty else { return }
        try await BulkRows(
            table: "hourly_orders",
            columns: [("workspace_id", .bigint), ("hour", .bigint), ("orders", .bigint), ("repeat_orders", .bigint),
                      ("revenue", .double), ("refunds", .double)],
            rows: increments.map { [.int(workspaceId), .int($0.hour), .int(Int64($0.orders)), .int(Int64($0.repeatOrders)),
                                    .double($0.revenue), .double($0.refunds)] },
            suffix: """
                ON CONFLICT (workspace_id, hour) DO UPDATE SET orders = hourly_orders.orders + excluded.orders,
                repeat_orders = hourly_orders.repeat_orders + excluded.repeat_orders,
                revenue = hourly_orders.revenue + excluded.revenue, refunds = hourly_orders.refunds + excluded.refunds
                """
        ).insert(in: session)
    }

    /// The hourly rows in `[from, to)`, oldest first (hours with nothing are absent).
    public func hourlyOrders(workspaceId: Int64, from: Date, to: Date) async throws -> [HourlyOrders] {
        let f = Int64(saturating: from.timeIntervalSince1970 / 3600, rounding: .down), t = Int64(saturating: to.timeIntervalSince1970 / 3600, rounding: .up)
        return try await database.read { session in
            try await session.sql.raw("""
                SELECT hour, orders, repeat_orders, revenue, refunds FROM hourly_orders
                WHERE workspace_id = \(bind: workspaceId) AND hour >= \(bind: f) AND hour < \(bind: t) ORDER BY hour
                """).all().map { row in
                HourlyOrders(hour: try row.decode(column: "hour", as: Int64.self), orders: try row.decode(column: "orders", as: Int.self),
                             repeatOrders: try row.decode(column: "repeat_orders", as: Int.self),
                             revenue: try row.decode(column: "revenue", as: Double.self),
                             refunds: try row.decode(column: "refunds", as: Double.self))
            }
        }
    }

    /// Forgets the rollups, for a rebuild of profiles from the log.
    static func clearHourlyOrders(workspaceId: Int64, in session: DatabaseSession) async throws {
        try await session.sql.raw("DELETE FROM hourly_orders WHERE workspace_id = \(bind: workspaceId)").run()
    }

    /// People first seen, and people whose first order fell, in each of `periods` (bounded index range counts).
    public func arrivals(workspaceId: Int64, periods: [(Date, Date)]) async throws -> [(people: Int, customers: Int)] {
        try await database.read { session in
            var out: [(Int, Int)] = []
            for (from, to) in periods {
                let f = from.epochMilliseconds, t = to.epochMilliseconds
                let people = try await session.sql.raw("""
                    SELECT COUNT(*) AS n FROM profiles WHERE workspace_id = \(bind: workspaceId)
                    AND first_seen >= \(bind: f) AND first_seen < \(bind: t) AND merged_into IS NULL
                    """).first()!.decode(column: "n", as: Int.self)
                let customers = try await session.sql.raw("""
                    SELECT COUNT(*) AS n FROM profiles WHERE workspace_id = \(bind: workspaceId)
                    AND first_order_at >= \(bind: f) AND first_order_at < \(bind: t) AND merged_into IS NULL
                    """).first()!.decode(column: "n", as: Int.self)
                out.append((people, customers))
            }
            return out
        }
    }
}
