import CicloCore
import Foundation
import SQLKit

/// One increment of a daily rollup.
public struct RollupIncrement: Hashable, Sendable {
    public var day: Int
    public var dimension: String
    public var key: String
    public var metric: String

    public init(day: Int, dimension: String, key: String, metric: String) {
        (self.day, self.dimension, self.key, self.metric) = (day, dimension, key, metric)
    }
}

extension Store {
    /// The last event the rollups include.
    public func analyticsWatermark(workspaceId: Int64) async throws -> Int64 {
        try await database.read { session in
            try await session.sql.raw("SELECT last_event_id FROM analytics_cursors WHERE workspace_id = \(bind: workspaceId)").first()?
                .decode(column: "last_event_id", as: Int64.self) ?? 0
        }
    }

    /// Adds increments and moves the watermark in one transaction, so a crash never counts an event twice. `firsts`
    /// are (message id, kind) pairs whose first occurrence counts once ("unique opens"): only those not seen before
    /// add their `uniques` increments.
    public func addRollups(workspaceId: Int64, expectedWatermark: Int64, watermark: Int64, _ values: [RollupIncrement: Double],
                           firsts: [(message: Int64, kind: String, increments: [RollupIncrement])]) async throws {
        try await database.write(priority: .background) { session in
            let current = try await session.sql.raw("SELECT last_event_id FROM analytics_cursors WHERE workspace_id = \(bind: workspaceId)").first()?
                .decode(column: "last_event_id", as: Int64.self) ?? 0
            guard current == expectedWatermark else {
                throw CicloError(.conflict, code: "rollup_moved", "Another process refreshed the rollups first.")
            }
            var values = values
            if !firsts.isEmpty {
                var seen = Set<String>()
                for chunk in firsts.chunked(into: 2_000) {
                    let fresh = try await Self.insertFirsts(session, workspaceId: workspaceId, chunk.map { ($0.message, $0.kind) })
                    for first in chunk where fresh.contains("\(first.message)|\(first.kind)") && seen.insert("\(first.message)|\(first.kind)").inserted {
                        for increment in first.increments { values[increment, default: 0] += 1 }
                    }
                }
            }
            try await BulkRows(table: "analytics_daily", columns: [("workspace_id", .bigint), ("day", .bigint), ("dimension", .text), ("key", .text),
                                                                   ("metric", .text), ("value", .double)],
                               rows: values.sorted { ($0.key.dimension, $0.key.key, $0.key.metric, $0.key.day) < ($1.key.dimension, $1.key.key, $1.key.metric, $1.key.day) }
                                   .map { [.int(workspaceId), .int(Int64($0.key.day)), .text($0.key.dimension), .text($0.key.key), .text($0.key.metric), .double($0.value)] },
                               suffix: "ON CONFLICT (workspace_id, dimension, key, metric, day) DO UPDATE SET value = analytics_daily.value + excluded.value")
                .insert(in: session)
            try await session.sql.raw("""
                INSERT INTO analytics_cursors (workspace_id, last_event_id) VALUES (\(bind: workspaceId), \(bind: watermark))
                ON CONFLICT (workspace_id) DO UPDATE SET last_event_id = excluded.last_event_id
                """).run()
        }
    }

    static func insertFirsts(_ session: DatabaseSession, workspaceId: Int64, _ pairs: [(Int64, String)]) async throws -> Set<String> {
        guard !pairs.isEmpty else { return [] }
        var fresh = Set<String>()
        let unique = Array(Set(pairs.map { "\($0.0)|\($0.1)" })).sorted()
        var sql: SQLQueryString = "INSERT INTO analytics_firsts (workspace_id, message_id, kind) VALUES "
        for (i, pair) in unique.enumerated() {
            let parts = pair.split(separator: "|")
            if i > 0 { sql += ", " }
            sql += "(\(bind: workspaceId), \(bind: Int64(parts[0])!), \(bind: String(parts[1])))"
        }
        sql += " ON CONFLICT DO NOTHING RETURNING message_id, kind"
        for row in try await session.sql.raw(sql).all() {
            fresh.insert("\(try row.decode(column: "message_id", as: Int64.self))|\(try row.decode(column: "kind", as: String.self))")
        }
        return fresh
    }

    /// Forgets the rollups so the next refresh recomputes them from the whole log.
    public func resetRollups(workspaceId: Int64) async throws {
        try await database.write { session in
            for table in ["analytics_daily", "analytics_cursors", "analytics_firsts"] {
                try await session.sql.raw("DELETE FROM \(unsafeRaw: table) WHERE workspace_id = \(bind: workspaceId)").run()
            }
        }
    }

    /// Sums of a dimension's metrics over days [fromDay, toDay], by key.
    public func rollupTotals(workspaceId: Int64, dimension: String, fromDay: Int, toDay: Int) async throws -> [String: [String: Double]] {
        try await database.read { session in
            var out: [String: [String: Double]] = [:]
            for row in try await session.sql.raw("""
                SELECT key, metric, SUM(value) AS v FROM analytics_daily WHERE workspace_id = \(bind: workspaceId)
                AND dimension = \(bind: dimension) AND day >= \(bind: fromDay) AND day <= \(bind: toDay) GROUP BY key, metric
                """).all() {
                out[try row.decode(column: "key", as: String.self), default: [:]][try row.decode(column: "metric", as: String.self)] =
                    try row.decode(column: "v", as: Double.self)
            }
            return out
        }
    }

    /// One metric of a dimension per day, for sparklines: key → day → value.
    public func rollupSeries(workspaceId: Int64, dimension: String, metric: String, fromDay: Int, toDay: Int) async throws -> [String: [Int: Double]] {
        try await database.read { session in
            var out: [String: [Int: Double]] = [:]
            for row in try await session.sql.raw("""
                SELECT key, day, value FROM analytics_daily WHERE workspace_id = \(bind: workspaceId) AND dimension = \(bind: dimension)
                AND metric = \(bind: metric) AND day >= \(bind: fromDay) AND day <= \(bind: toDay)
                """).all() {
                out[try row.decode(column: "key", as: String.self), default: [:]][try row.decode(column: "day", as: Int.self)] =
                    try row.decode(column: "value", as: Double.self)
            }
            return out
        }
    }

    /// Everything in the rollups, for comparing an incremental refresh with a rebuild.
    public func rollupSnapshot(workspaceId: Int64) async throws -> [String: Double] {
        try await database.read { session in
            var out: [String: Double] = [:]
            for row in try await session.sql.raw("""
                SELECT day, dimension, key, metric, value FROM analytics_daily WHERE workspace_id = \(bind: workspaceId)
                """).all() {
                let id = "\(try row.decode(column: "day", as: Int.self))|\(try row.decode(column: "dimension", as: String.self))|"
                    + "\(try row.decode(column: "key", as: String.self))|\(try row.decode(column: "metric", as: String.self))"
                out[id] = try row.decode(column: "value", as: Double.self)
            }
            return out
        }
    }
}

extension Store {
    /// How many events a workspace's log holds.
    public func eventCount(workspaceId: Int64) async throws -> Int {
        try await database.read { session in
            try await session.sql.raw("SELECT COUNT(*) AS n FROM events WHERE workspace_id = \(bind: workspaceId)").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
    }
}
