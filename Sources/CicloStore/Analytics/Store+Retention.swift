import CicloCore
import Foundation
import SQLKit

extension Store {
    /// `PersonActivity` in SQL: events the person did, not Ciclo's records or a sender's reports about them.
    static func personActivity(_ alias: String) -> SQLQueryString {
        var sql: SQLQueryString = "("
        for prefix in PersonActivity.derivedMessageIdPrefixes { sql += "\(unsafeRaw: alias).message_id NOT LIKE \(bind: prefix + "%") AND " }
        return sql + "(\(unsafeRaw: alias).event IS NULL OR \(unsafeRaw: alias).event NOT IN (\(binds: PersonActivity.messageSideEvents))))"
    }

    /// The retention table of `definition` for cohorts starting in the `definition.periods` periods from `from`,
    /// in the workspace's calendar. Merged profiles count once (their events carry the survivor's id).
    public func retention(workspaceId: Int64, _ definition: RetentionDefinition, from: Date, zone: TimeZone, firstWeekday: Int = 2,
                          now: Date) async throws -> RetentionReport {
        guard (1...400).contains(definition.periods) else { throw CicloError.badRequest("invalid_periods", "periods is 1 to 400.") }
        let bounds = LocalPeriodSQL(zone: zone, interval: definition.interval, firstWeekday: firstWeekday, dialect: dialect)
        let p0 = bounds.period(of: from.epochMilliseconds)
        let start = bounds.start(of: p0), end = bounds.start(of: p0 + definition.periods)
        let currentPeriod = bounds.period(of: now.epochMilliseconds)
        let rows: (sizes: [Int: Int], returning: [Int: [Int: Int]]) = try await database.read { session in
            let sql = ConditionSQL(dialect: session.dialect, workspaceId: workspaceId, now: now.epochMilliseconds)
            let period = SQLQueryString(stringLiteral: bounds.expression("e.timestamp", from: start - 86_400_000, to: end + 86_400_000))
            let events = session.dialect.events(.byName, as: "e"), allEvents = session.dialect.events(.byTime, as: "e")
            func filter(_ match: EventMatch?) -> SQLQueryString {
                match.map { sql.matches($0, alias: "e") } ?? (definition.includeCicloEvents ? "1 = 1" : Self.personActivity("e"))
            }
            func table(_ match: EventMatch?) -> String { match == nil ? allEvents : events }
            var query: SQLQueryString = """
                WITH act AS MATERIALIZED (SELECT DISTINCT e.profile_id AS pid, \(period) AS period FROM \(unsafeRaw: table(definition.returning))
                WHERE e.workspace_id = \(bind: workspaceId) AND e.profile_id IS NOT NULL AND e.timestamp >= \(bind: start)
                AND e.timestamp < \(bind: end) AND \(filter(definition.returning))),
                """
            switch definition.cohort {
            case .recurring:
                query += """
                     starts AS MATERIALIZED (SELECT DISTINCT e.profile_id AS pid, \(period) AS cohort FROM \(unsafeRaw: table(definition.start))
                    WHERE e.workspace_id = \(bind: workspaceId) AND e.profile_id IS NOT NULL AND e.timestamp >= \(bind: start)
                    AND e.timestamp < \(bind: end) AND \(filter(definition.start)))
                    """
            case .firstTime where definition.start == nil:
                // First activity of any kind is the profile's first_seen: read from its index, not the whole log.
                query += """
                     starts AS MATERIALIZED (SELECT p.id AS pid, \(unsafeRaw: bounds.expression("p.first_seen", from: start - 86_400_000, to: end + 86_400_000)) AS cohort
                    FROM profiles p WHERE p.workspace_id = \(bind: workspaceId) AND p.merged_into IS NULL AND p.first_seen >= \(bind: start)
                    AND p.first_seen < \(bind: end))
                    """
            case .firstTime:
                query += """
                     firsts AS MATERIALIZED (SELECT e.profile_id AS pid, MIN(e.timestamp) AS first FROM \(unsafeRaw: table(definition.start))
                    WHERE e.workspace_id = \(bind: workspaceId) AND e.profile_id IS NOT NULL AND e.timestamp < \(bind: end)
                    AND \(filter(definition.start)) GROUP BY e.profile_id),
                    starts AS MATERIALIZED (SELECT f.pid, \(unsafeRaw: bounds.expression("f.first", from: start - 86_400_000, to: end + 86_400_000)) AS cohort
                    FROM firsts f WHERE f.first >= \(bind: start))
                    """
            }
            var sizes: [Int: Int] = [:]
            for row in try await session.sql.raw(query + " SELECT cohort, COUNT(*) AS n FROM starts GROUP BY cohort").all() {
                sizes[try row.decode(column: "cohort", as: Int.self)] = try row.decode(column: "n", as: Int.self)
            }
            var returning: [Int: [Int: Int]] = [:]
            let last: SQLQueryString = definition.mode == .on
                ? " SELECT s.cohort AS cohort, a.period - s.cohort AS k, COUNT(*) AS n FROM starts s JOIN act a ON a.pid = s.pid AND a.period >= s.cohort GROUP BY s.cohort, a.period - s.cohort"
                : " SELECT cohort, k, COUNT(*) AS n FROM (SELECT s.pid, s.cohort, MAX(a.period) - s.cohort AS k FROM starts s JOIN act a ON a.pid = s.pid AND a.period >= s.cohort GROUP BY s.pid, s.cohort) AS lastk GROUP BY cohort, k"
            for row in try await session.sql.raw(query + last).all() {
                returning[try row.decode(column: "cohort", as: Int.self), default: [:]][try row.decode(column: "k", as: Int.self)] =
                    try row.decode(column: "n", as: Int.self)
            }
            return (sizes, returning)
        }
        let cohorts = (0..<definition.periods).map { i -> RetentionReport.Cohort in
            let cohort = p0 + i, size = rows.sizes[cohort] ?? 0
            let length = definition.periods - i
            var values = (0..<length).map { rows.returning[cohort]?[$0] ?? 0 }
            if definition.mode == .onOrAfter {
                // Counted in every period up to the last one they were seen in.
                for k in (0..<length).reversed() where k + 1 < length { values[k] += values[k + 1] }
            }
            if !values.isEmpty { values[0] = size }
            let incomplete = currentPeriod - cohort < length ? max(0, currentPeriod - cohort) : nil
            return RetentionReport.Cohort(start: ISO8601.format(Date(epochMilliseconds: bounds.start(of: cohort))), size: size, values: values,
                                          rates: values.map { size > 0 ? Double($0) / Double(size) : nil }, incompleteFrom: incomplete)
        }
        return RetentionReport(interval: definition.interval, cohorts: cohorts)
    }
}
