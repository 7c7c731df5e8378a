import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Each person's best chain through a funnel whose first step happened in [from, to): computed in the database,
    /// one row per person (the chain that gets furthest, earliest among equals).
    public func funnelChains(workspaceId: Int64, _ funnel: FunnelDefinition, from: Date, to: Date, now: Date) async throws -> [FunnelReport.Chain] {
        let f = from.epochMilliseconds, t = to.epochMilliseconds, w = funnel.window.milliseconds, k = funnel.steps.count
        return try await database.read { session in
            let sql = ConditionSQL(dialect: session.dialect, workspaceId: workspaceId, now: now.epochMilliseconds)
            let byName = session.dialect.events(.byName, as: "e"), byProfile = session.dialect.events(.byProfile, as: "x")
            // The property path is bound, never spliced into the SQL.
            let prop: (String) -> SQLQueryString = { path in
                let parts = path.split(separator: ".").map(String.init)
                return session.dialect == .sqlite ? "CAST(json_extract(e.properties, \(bind: "$" + parts.map { ".\"\($0)\"" }.joined())) AS TEXT)"
                    : "(e.properties #>> \(bind: parts))"
            }
            var breakdown: SQLQueryString = "NULL"
            if case .property(let path) = funnel.breakdown { breakdown = prop(path) }
            // Where chains start: the first step's events (any step's, in any order) in the period.
            let startMatch = funnel.order == .any ? sql.join(funnel.steps.map { sql.matches($0, alias: "e") }, with: " OR ")
                : sql.matches(funnel.steps[0], alias: "e")
            var query: SQLQueryString = """
                WITH c0 AS (SELECT e.profile_id AS pid, e.timestamp AS t0, \(breakdown) AS bd FROM \(unsafeRaw: byName)
                WHERE e.workspace_id = \(bind: workspaceId) AND e.profile_id IS NOT NULL AND e.timestamp >= \(bind: f) AND e.timestamp < \(bind: t)
                AND \(startMatch))
                """
            for j in 0..<k {
                let column = "t\(j + 1)"
                var next: SQLQueryString
                switch funnel.order {
                case .ordered:
                    if j == 0 { next = "c.t0" } else {
                        next = "(SELECT MIN(x.timestamp) FROM \(unsafeRaw: byProfile) WHERE x.workspace_id = \(bind: workspaceId) AND x.profile_id = c.pid"
                        next += " AND x.timestamp > c.t\(unsafeRaw: String(j)) AND x.timestamp <= c.t0 + \(bind: w) AND "
                        next += sql.matches(funnel.steps[j], alias: "x") + ")"
                    }
                case .strict:
                    if j == 0 { next = "c.t0" } else {
                        // The very next event of the person (Ciclo's own events aside) must be this step.
                        next = "(SELECT CASE WHEN " + sql.matches(funnel.steps[j], alias: "x") + " AND x.timestamp <= c.t0 + \(bind: w) THEN x.timestamp END"
                        next += " FROM \(unsafeRaw: byProfile) WHERE x.workspace_id = \(bind: workspaceId) AND x.profile_id = c.pid"
                        next += " AND x.timestamp > c.t\(unsafeRaw: String(j)) AND (" + Self.personActivity("x") + " OR "
                        next += sql.join(funnel.steps.map { sql.matches($0, alias: "x") }, with: " OR ") + ") ORDER BY x.timestamp, x.id LIMIT 1)"
                    }
                case .any:
                    next = "(SELECT MIN(x.timestamp) FROM \(unsafeRaw: byProfile) WHERE x.workspace_id = \(bind: workspaceId) AND x.profile_id = c.pid"
                    next += " AND x.timestamp >= c.t0 AND x.timestamp <= c.t0 + \(bind: w) AND " + sql.matches(funnel.steps[j], alias: "x") + ")"
                }
                query += ", c\(unsafeRaw: String(j + 1)) AS (SELECT c.*, " + next + " AS \(unsafeRaw: column) FROM c\(unsafeRaw: String(j)) c)"
            }
            let times = (1...k).map { "t\($0)" }
            let reached = funnel.order == .any
                ? times.map { "(CASE WHEN \($0) IS NULL THEN 0 ELSE 1 END)" }.joined(separator: " + ")
                : "CASE " + (2...k).map { "WHEN t\($0) IS NULL THEN \($0 - 1)" }.joined(separator: " ") + " ELSE \(k) END"
            query += ", ranked AS (SELECT c.*, \(unsafeRaw: reached) AS reached FROM c\(unsafeRaw: String(k)) c)"
            query += ", best AS (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY pid ORDER BY reached DESC, t0) AS rn FROM ranked r)"
            var select: SQLQueryString = "SELECT b.pid, b.reached, b.t0, \(unsafeRaw: times.map { "b.\($0)" }.joined(separator: ", ")), "
            switch funnel.breakdown {
            case .stage?: select += "p.stage AS bd"
            case .persona?: select += "p.persona AS bd"
            case .segment(let key)?:
                select += "CASE WHEN EXISTS (SELECT 1 FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE s.workspace_id = \(bind: workspaceId)"
                select += " AND s.key = \(bind: key) AND m.profile_id = b.pid) THEN \(bind: "in " + key) ELSE \(bind: "not in " + key) END AS bd"
            default: select += "b.bd"
            }
            for (i, exclusion) in funnel.exclusions.enumerated() {
                let until = exclusion.to <= k ? "COALESCE(b.t\(exclusion.to), b.t0 + \(w))" : "b.t0 + \(w)"
                select += ", CASE WHEN b.t\(unsafeRaw: String(exclusion.from)) IS NOT NULL AND EXISTS (SELECT 1 FROM \(unsafeRaw: byProfile)"
                select += " WHERE x.workspace_id = \(bind: workspaceId) AND x.profile_id = b.pid AND x.timestamp > b.t\(unsafeRaw: String(exclusion.from))"
                select += " AND x.timestamp < \(unsafeRaw: until) AND " + sql.matches(exclusion.match, alias: "x") + ") THEN 1 ELSE 0 END AS ex\(unsafeRaw: String(i))"
            }
            select += " FROM best b LEFT JOIN profiles p ON p.id = b.pid WHERE b.rn = 1 ORDER BY b.pid"
            query += select
            let nowMs = now.epochMilliseconds
            return try await session.sql.raw(query).all().map { row in
                let reachedSteps = try row.decode(column: "reached", as: Int.self)
                let t0 = try row.decode(column: "t0", as: Int64.self)
                var chain = try times.map { try row.decode(column: $0, as: Int64?.self) }
                // In any order, the chain is the steps done, in the order they were done.
                if funnel.order == .any { chain = [t0] + chain.compactMap { $0 }.sorted().dropFirst().map { Optional($0) } }
                let excluded = try (0..<funnel.exclusions.count).contains { try row.decode(column: "ex\($0)", as: Int.self) == 1 }
                return FunnelReport.Chain(profileId: try row.decode(column: "pid", as: Int64.self), reached: reachedSteps, times: chain,
                                          inProgress: reachedSteps < k && t0 + w > nowMs, excluded: excluded,
                                          breakdown: try row.decode(column: "bd", as: String?.self))
            }
        }
    }
}
