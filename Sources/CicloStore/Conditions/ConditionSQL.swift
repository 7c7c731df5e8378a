import CicloCore
import Foundation
import SQLKit

/// Compiles a condition to one SQL boolean over the profile row `p`, so a whole segment is one query inside the
/// database. It mirrors `ConditionEvaluator` exactly: the property test checks that the two agree.
public struct ConditionSQL: Sendable {
    let dialect: Dialect
    let workspaceId: Int64
    let now: Int64

    /// Creates a compiler for a workspace at an instant.
    public init(dialect: Dialect, workspaceId: Int64, now: Int64) {
        self.dialect = dialect
        self.workspaceId = workspaceId
        self.now = now
    }

    /// `SELECT p.id FROM profiles p WHERE <live profile of the workspace> AND <condition>`.
    public func selectProfileIds(_ condition: Condition, restrictedTo ids: [Int64]? = nil) -> SQLQueryString {
        var sql: SQLQueryString = "SELECT p.id FROM profiles p WHERE p.workspace_id = \(bind: workspaceId) AND p.merged_into IS NULL"
        if let ids { sql += " AND p.id IN (\(binds: ids))" }
        sql += " AND "
        sql += predicate(condition)
        return sql
    }

    /// The condition as a boolean SQL expression over `p` that is never NULL.
    public func predicate(_ condition: Condition) -> SQLQueryString {
        switch condition {
        case .always: return "(1 = 1)"
        case .all(let children):
            guard !children.isEmpty else { return "(1 = 1)" }
            return join(children.map(predicate), with: " AND ")
        case .any(let children):
            guard !children.isEmpty else { return "(1 = 0)" }
            return join(children.map(predicate), with: " OR ")
        case .not(let child): return "(NOT " + predicate(child) + ")"
        case .trait(let path, let test): return coalesced(jsonTest("p.traits", path: path, test))
        case .attribute(let attribute, let test): return coalesced(attributeTest(attribute, test))
        case .event(let e): return eventPredicate(e)
        case .sequence(let first, let then, let within):
            var sql: SQLQueryString = "p.id IN (SELECT a.profile_id FROM \(unsafeRaw: dialect.events(.byName, as: "a")) JOIN \(unsafeRaw: dialect.events(.byName, as: "b"))"
            sql += " ON b.workspace_id = a.workspace_id AND b.event = \(bind: then.name) AND b.profile_id = a.profile_id"
            sql += " AND b.timestamp > a.timestamp AND b.timestamp <= a.timestamp + \(bind: within.milliseconds)"
            sql += " WHERE a.workspace_id = \(bind: workspaceId) AND a.event = \(bind: first.name) AND a.profile_id IS NOT NULL"
            for filter in first.filters { sql += " AND " + coalesced(jsonTest("a.properties", path: filter.path, filter.test)) }
            for filter in then.filters { sql += " AND " + coalesced(jsonTest("b.properties", path: filter.path, filter.test)) }
            return sql + ")"
        case .segment(let key):
            return "p.id IN (SELECT m.profile_id FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE s.workspace_id = \(bind: workspaceId) AND s.key = \(bind: key))"
        case .stage(let key, let span):
            var sql: SQLQueryString = "COALESCE(p.stage = \(bind: key)"
            if let span { sql += " AND p.stage_entered_at + \(bind: span.milliseconds) <= \(bind: now)" }
            return sql + ", \(unsafeRaw: dialect.falseLiteral))"
        case .persona(let key): return "COALESCE(p.persona = \(bind: key), \(unsafeRaw: dialect.falseLiteral))"
        case .rfm(let name): return "COALESCE(p.rfm_segment = \(bind: name), \(unsafeRaw: dialect.falseLiteral))"
        }
    }

    func join(_ parts: [SQLQueryString], with separator: String) -> SQLQueryString {
        var sql: SQLQueryString = "("
        for (i, part) in parts.enumerated() {
            if i > 0 { sql += SQLQueryString(separator) }
            sql += part
        }
        return sql + ")"
    }

    func coalesced(_ expression: SQLQueryString) -> SQLQueryString {
        "COALESCE(" + expression + ", \(unsafeRaw: dialect.falseLiteral))"
    }

    /// The set of profiles whose matching events satisfy `e`, as `p.id IN (...)` or `p.id NOT IN (...)`.
    func eventPredicate(_ e: EventCondition) -> SQLQueryString {
        var inner: SQLQueryString = "SELECT e.profile_id FROM \(unsafeRaw: dialect.events(.byName, as: "e")) WHERE e.workspace_id = \(bind: workspaceId) AND e.event = \(bind: e.match.name) AND e.profile_id IS NOT NULL"
        for filter in e.match.filters { inner += " AND " + coalesced(jsonTest("e.properties", path: filter.path, filter.test)) }
        switch e.window {
        case .ever: break
        case .last(let span): inner += " AND e.timestamp >= \(bind: now - span.milliseconds)"
        case .between(let from, let to): inner += " AND e.timestamp >= \(bind: from) AND e.timestamp < \(bind: to)"
        }
        inner += " GROUP BY e.profile_id HAVING "
        switch e.measure {
        case .count(.atLeast, let n) where n <= 0: return "(1 = 1)"
        case .count(.atLeast, let n): return "p.id IN (" + inner + "COUNT(*) >= \(bind: n))"
        case .count(.atMost, let n): return "p.id NOT IN (" + inner + "COUNT(*) > \(bind: n))"
        case .count(.exactly, 0): return "p.id NOT IN (" + inner + "COUNT(*) > 0)"
        case .count(.exactly, let n): return "p.id IN (" + inner + "COUNT(*) = \(bind: n))"
        case .first(let test): return "p.id IN (" + inner + timeComparison("MIN(e.timestamp)", test) + ")"
        case .last(let test): return "p.id IN (" + inner + timeComparison("MAX(e.timestamp)", test) + ")"
        }
    }
}

extension ConditionSQL {
    /// `alias` is an event matching `match`: its name and every property filter.
    public func matches(_ match: EventMatch, alias: String) -> SQLQueryString {
        var sql: SQLQueryString = "(\(unsafeRaw: alias).event = \(bind: match.name)"
        for filter in match.filters { sql += " AND " + coalesced(jsonTest("\(alias).properties", path: filter.path, filter.test)) }
        return sql + ")"
    }
}
