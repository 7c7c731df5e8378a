import CicloCore
import Foundation
import SQLKit

/// One customer's order history as the summary query returns it (days are UTC days since 1970-01-01).
public struct StoredOrderHistory: Sendable, Equatable {
    public var profileId: Int64
    /// Repeat purchase days up to the end of calibration.
    public var frequency: Int
    public var firstDay: Int
    public var lastDay: Int
    /// Total spend of the repeat purchase days in calibration.
    public var repeatTotal: Double
    /// Purchase days after calibration (up to the holdout's end).
    public var holdout: Int
}

extension Store {
    /// Orders by customer and day up to `untilDay` (inclusive), each order once (`OrderSQL`): the common part of the
    /// summary queries.
    private func orderDays(_ dialect: Dialect, workspaceId: Int64, untilDay: Int) -> SQLQueryString {
        let until = (Int64(untilDay) + 1) * 86_400_000
        var sql: SQLQueryString = "WITH orders AS ("
        sql += OrderSQL.firstOrders(dialect, workspaceId: workspaceId, from: nil, to: until)
        sql += """
            ),
            days AS (SELECT profile_id, timestamp / 86400000 AS day, SUM(amount) AS amount FROM orders GROUP BY profile_id, timestamp / 86400000),
            ranked AS (SELECT profile_id, day, amount, ROW_NUMBER() OVER (PARTITION BY profile_id ORDER BY day) AS k FROM days)
            """
        return sql
    }

    /// Every customer's history with calibration through `calibrationEndDay` and purchases after it up to
    /// `holdoutEndDay` counted apart; one set-based query, never profile by profile.
    public func orderHistories(workspaceId: Int64, calibrationEndDay: Int, holdoutEndDay: Int? = nil) async throws -> [StoredOrderHistory] {
        try await database.read { session in
            let cal = calibrationEndDay
            var sql = orderDays(session.dialect, workspaceId: workspaceId, untilDay: holdoutEndDay ?? cal)
            sql += """
                SELECT profile_id, SUM(CASE WHEN day <= \(bind: cal) AND k > 1 THEN 1 ELSE 0 END) AS x, MIN(day) AS first_day,
                MAX(CASE WHEN day <= \(bind: cal) THEN day END) AS last_day,
                SUM(CASE WHEN day <= \(bind: cal) AND k > 1 THEN amount ELSE 0 END) AS repeat_total,
                SUM(CASE WHEN day > \(bind: cal) THEN 1 ELSE 0 END) AS holdout
                FROM ranked GROUP BY profile_id HAVING MIN(day) <= \(bind: cal) ORDER BY profile_id
                """
            return try await session.sql.raw(sql).all().map { row in
                StoredOrderHistory(profileId: try row.decode(column: "profile_id", as: Int64.self),
                                   frequency: try row.decode(column: "x", as: Int.self),
                                   firstDay: try row.decode(column: "first_day", as: Int.self),
                                   lastDay: try row.decode(column: "last_day", as: Int.self),
                                   repeatTotal: try row.decode(column: "repeat_total", as: Double.self),
                                   holdout: try row.decode(column: "holdout", as: Int.self))
            }
        }
    }

    /// Repeat purchase days per day, for customers whose first purchase is on or before `cohortEndDay`.
    public func repeatPurchasesByDay(workspaceId: Int64, cohortEndDay: Int, untilDay: Int) async throws -> [Int: Int] {
        try await database.read { session in
            var sql = orderDays(session.dialect, workspaceId: workspaceId, untilDay: untilDay)
            sql += """
                , cohort AS (SELECT profile_id FROM ranked WHERE k = 1 AND day <= \(bind: cohortEndDay))
                SELECT r.day AS day, COUNT(*) AS n FROM ranked r JOIN cohort c ON c.profile_id = r.profile_id
                WHERE r.k > 1 GROUP BY r.day
                """
            var out: [Int: Int] = [:]
            for row in try await session.sql.raw(sql).all() {
                out[try row.decode(column: "day", as: Int.self)] = try row.decode(column: "n", as: Int.self)
            }
            return out
        }
    }
}

extension Store {
    /// Each customer's completed orders and their total amount, every order once (`OrderSQL`), for the whole history.
    public func orderTotals(workspaceId: Int64) async throws -> [Int64: (orders: Int, amount: Double)] {
        try await database.read { session in
            var sql: SQLQueryString = "SELECT profile_id, COUNT(*) AS n, SUM(amount) AS amount FROM ("
            sql += OrderSQL.firstOrders(session.dialect, workspaceId: workspaceId, from: nil, to: Int64.max)
            sql += ") AS o GROUP BY profile_id"
            var out: [Int64: (orders: Int, amount: Double)] = [:]
            for row in try await session.sql.raw(sql).all() {
                out[try row.decode(column: "profile_id", as: Int64.self)] = (try row.decode(column: "n", as: Int.self),
                                                                              try row.decode(column: "amount", as: Double?.self) ?? 0)
            }
            return out
        }
    }
}
