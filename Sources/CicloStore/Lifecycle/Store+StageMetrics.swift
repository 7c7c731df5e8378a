import CicloCore
import Foundation
import SQLKit

/// The metrics of each lifecycle stage over a period.
public struct StageMetrics: Sendable, Codable {
    /// One stage's figures.
    public struct Stage: Sendable, Codable {
        public var key: String
        public var name: String
        /// People in the stage now.
        public var people: Int
        /// People in the stage at the end of the period.
        public var peopleAtEnd: Int
        /// Entries during the period.
        public var entries: Int
        /// Of those entries, how many reached a later stage within the window.
        public var convertedToLater: Int
        /// `convertedToLater / entries`, when there were entries.
        public var conversionRate: Double?
        /// Median and 90th percentile of completed stays that ended in the period, in days.
        public var medianDaysInStage: Double?
        public var p90DaysInStage: Double?
        /// Order revenue in the period from people while they were in this stage.
        public var revenue: Double
        /// Entries per calendar period.
        public var entriesOverTime: [Int]
    }

    public var model: String
    public var from: String
    public var to: String
    public var interval: CalendarInterval
    public var periods: [CalendarBucket]
    public var stages: [Stage]
    /// Moves between stages that happened in the period: from → to → count.
    public var transitions: [String: [String: Int]]
}

extension Store {
    /// Stage metrics over `[from, to)` with conversions counted within `window`.
    public func stageMetrics(workspaceId: Int64, from: Date, to: Date, window: TimeSpan, interval: CalendarInterval,
                             timeZone: TimeZone) async throws -> StageMetrics {
        let model = try await lifecycleModel(workspaceId: workspaceId)
        let f = from.epochMilliseconds, t = to.epochMilliseconds
        let now = try await stageCounts(workspaceId: workspaceId)
        let periods = CalendarBucket.periods(from: from, to: to, interval: interval, timeZone: timeZone, limit: 400)
        return try await database.read { session in
            let sql = session.sql
            var atEnd: [String: Int] = [:], entries: [String: Int] = [:], revenue: [String: Double] = [:]
            if t >= self.now {
                atEnd = now  // a period that ends now ends with today's counts; no need to replay history
            } else {
                for row in try await sql.raw("""
                    SELECT stage, COUNT(DISTINCT profile_id) AS n FROM stage_history WHERE workspace_id = \(bind: workspaceId)
                    AND entered_at < \(bind: t) AND (exited_at IS NULL OR exited_at >= \(bind: t)) GROUP BY stage
                    """).all() { atEnd[try row.decode(column: "stage", as: String.self)] = try row.decode(column: "n", as: Int.self) }
            }
            for row in try await sql.raw("""
                SELECT stage, COUNT(*) AS n FROM stage_history WHERE workspace_id = \(bind: workspaceId)
                AND entered_at >= \(bind: f) AND entered_at < \(bind: t) GROUP BY stage
                """).all() { entries[try row.decode(column: "stage", as: String.self)] = try row.decode(column: "n", as: Int.self) }
            var byStage: SQLQueryString = "SELECT h.stage, SUM(o.amount) AS revenue FROM ("
            byStage += OrderSQL.firstOrders(session.dialect, workspaceId: workspaceId, from: f, to: t)
            byStage += """
                ) AS o JOIN stage_history h ON h.workspace_id = \(bind: workspaceId) AND h.profile_id = o.profile_id
                AND o.timestamp >= h.entered_at AND (h.exited_at IS NULL OR o.timestamp < h.exited_at) GROUP BY h.stage
                """
            for row in try await sql.raw(byStage).all() { revenue[try row.decode(column: "stage", as: String.self)] = try row.decode(column: "revenue", as: Double?.self) ?? 0 }
            var transitions: [String: [String: Int]] = [:]
            for row in try await sql.raw("""
                SELECT stage, next_stage, COUNT(*) AS n FROM stage_history WHERE workspace_id = \(bind: workspaceId)
                AND stage IN (\(binds: model.stages.map(\.key))) AND exited_at >= \(bind: f) AND exited_at < \(bind: t)
                AND next_stage IS NOT NULL GROUP BY stage, next_stage
                """).all() {
                transitions[try row.decode(column: "stage", as: String.self), default: [:]][try row.decode(column: "next_stage", as: String.self)] =
                    try row.decode(column: "n", as: Int.self)
            }
            let stays = try await Self.stayPercentiles(sql, workspaceId: workspaceId, stages: model.stages.map(\.key), from: f, to: t)
            var stages: [StageMetrics.Stage] = []
            for (index, stage) in model.stages.enumerated() {
                let later = model.stages.dropFirst(index + 1).map(\.key)
                var converted = 0
                if !later.isEmpty {
                    converted = try await sql.raw("""
                        SELECT COUNT(*) AS n FROM stage_history h WHERE h.workspace_id = \(bind: workspaceId) AND h.stage = \(bind: stage.key)
                        AND h.entered_at >= \(bind: f) AND h.entered_at < \(bind: t) AND EXISTS (
                            SELECT 1 FROM stage_history n WHERE n.workspace_id = h.workspace_id AND n.profile_id = h.profile_id
                            AND n.stage IN (\(binds: later)) AND n.entered_at >= h.entered_at AND n.entered_at <= h.entered_at + \(bind: window.milliseconds))
                        """).first()?.decode(column: "n", as: Int.self) ?? 0
                }
                let over = try await Self.entriesOverTime(sql, workspaceId: workspaceId, stage: stage.key, periods: periods)
                let entered = entries[stage.key] ?? 0
                stages.append(StageMetrics.Stage(
                    key: stage.key, name: stage.name, people: now[stage.key] ?? 0, peopleAtEnd: atEnd[stage.key] ?? 0,
                    entries: entered, convertedToLater: converted, conversionRate: entered > 0 ? Double(converted) / Double(entered) : nil,
                    medianDaysInStage: stays[stage.key]?.median, p90DaysInStage: stays[stage.key]?.p90, revenue: revenue[stage.key] ?? 0, entriesOverTime: over))
            }
            return StageMetrics(model: model.key, from: ISO8601.format(from), to: ISO8601.format(to), interval: interval,
                                periods: periods, stages: stages, transitions: transitions)
        }
    }

    /// Median and 90th percentile of every stage's completed stays that ended in `[from, to)`, in days, in one pass
    /// over the exits: the nearest-rank percentile, the ⌈p·n⌉-th shortest stay, with ⌈p·n⌉ in integers (a Double
    /// product rounded up gave the 100th of 110 stays for p90, not the 99th). A stage without stays has no entry.
    static func stayPercentiles(_ sql: any SQLDatabase, workspaceId: Int64, stages: [String], from: Int64,
                                to: Int64) async throws -> [String: (median: Double, p90: Double)] {
        guard !stages.isEmpty else { return [:] }
        var found: [String: (median: Double?, p90: Double?)] = [:]
        for row in try await sql.raw("""
            SELECT stage, rn, n, d FROM (
              SELECT stage, exited_at - entered_at AS d, COUNT(*) OVER (PARTITION BY stage) AS n,
                ROW_NUMBER() OVER (PARTITION BY stage ORDER BY exited_at - entered_at) AS rn
              FROM stage_history WHERE workspace_id = \(bind: workspaceId) AND stage IN (\(binds: stages))
              AND exited_at >= \(bind: from) AND exited_at < \(bind: to)
            ) AS ranked WHERE rn = (n + 1) / 2 OR rn = (9 * n + 9) / 10
            """).all() {
            let stage = try row.decode(column: "stage", as: String.self)
            let (rank, n) = (try row.decode(column: "rn", as: Int64.self), try row.decode(column: "n", as: Int64.self))
            let days = Double(try row.decode(column: "d", as: Int64.self)) / 86_400_000
            if rank == (n + 1) / 2 { found[stage, default: (nil, nil)].median = days }
            if rank == (9 * n + 9) / 10 { found[stage, default: (nil, nil)].p90 = days }
        }
        return found.compactMapValues { value in value.median.flatMap { m in value.p90.map { (m, $0) } } }
    }

    static func entriesOverTime(_ sql: any SQLDatabase, workspaceId: Int64, stage: String, periods: [CalendarBucket]) async throws -> [Int] {
        guard !periods.isEmpty else { return [] }
        var counts = [Int](repeating: 0, count: periods.count)
        var values: SQLQueryString = "WITH b(i, s, e) AS (VALUES "
        for (i, p) in periods.enumerated() {
            if i > 0 { values += ", " }
            values += "(\(literal: i), \(literal: Int(p.start)), \(literal: Int(p.end)))"
        }
        values += ") SELECT b.i AS i, COUNT(h.id) AS n FROM b JOIN stage_history h ON h.entered_at >= b.s AND h.entered_at < b.e"
        values += " WHERE h.workspace_id = \(bind: workspaceId) AND h.stage = \(bind: stage) GROUP BY b.i"
        for row in try await sql.raw(values).all() {
            counts[try row.decode(column: "i", as: Int.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}
