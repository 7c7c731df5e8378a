import CicloCore
import Foundation
import SQLKit

extension ConditionSQL {
    /// A test on a JSON document's member at a dotted path, typed like `ValueTesting`: numbers compare with numbers,
    /// strings with strings, booleans with booleans.
    func jsonTest(_ column: String, path: String, _ test: ValueTest) -> SQLQueryString {
        let parts = path.split(separator: ".").map(String.init)
        let type: SQLQueryString, text: SQLQueryString
        switch dialect {
        case .sqlite:
            let jsonPath = "$" + parts.map { ".\"\($0)\"" }.joined()
            type = "json_type(\(unsafeRaw: column), \(bind: jsonPath))"
            text = "json_extract(\(unsafeRaw: column), \(bind: jsonPath))"
        case .postgres:
            type = "jsonb_typeof(\(unsafeRaw: column) #> \(bind: parts))"
            text = "(\(unsafeRaw: column) #>> \(bind: parts))"
        }
        let isNumber: SQLQueryString = dialect == .sqlite ? type + " IN ('integer', 'real')" : type + " = 'number'"
        let isString: SQLQueryString = type + (dialect == .sqlite ? " = 'text'" : " = 'string'")
        let number: SQLQueryString = dialect == .sqlite ? "(CASE WHEN " + isNumber + " THEN " + text + " END)"
            : "(CASE WHEN " + isNumber + " THEN " + text + "::double precision END)"
        let string: SQLQueryString = "(CASE WHEN " + isString + " THEN " + text + " END)"
        let boolean: SQLQueryString = dialect == .sqlite
            ? "(CASE " + type + " WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)"
            : "(CASE WHEN " + type + " = 'boolean' THEN (" + text + " = 'true') END)"
        let present: SQLQueryString = dialect == .sqlite ? "(" + type + " IS NOT NULL AND " + type + " <> 'null')"
            : "(" + type + " IS NOT NULL AND " + type + " <> 'null')"
        // Only text shaped like an ISO date is a time: both engines would otherwise read "45" or "now" as one.
        let time: SQLQueryString = dialect == .sqlite
            ? "(CASE WHEN " + isString + " AND " + text + " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN CAST(round(unixepoch(" + text + ", 'subsec') * 1000) AS INTEGER) END)"
            : "(CASE WHEN " + isString + " AND " + text + " ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN ciclo_iso_ms(" + text + ") END)"
        return typedTest(test, number: number, string: string, boolean: boolean, present: present, time: time)
    }

    /// A test on a typed `profiles` column.
    func attributeTest(_ attribute: ProfileAttribute, _ test: ValueTest) -> SQLQueryString {
        let column: SQLQueryString = "p.\(unsafeRaw: attribute.column)"
        let none: SQLQueryString = "NULL"
        switch attribute.kind {
        case .number:
            return typedTest(test, number: column, string: none, boolean: none, present: "(" + column + " IS NOT NULL)", time: none)
        case .time:
            return typedTest(test, number: column, string: none, boolean: none, present: "(" + column + " IS NOT NULL)", time: column)
        case .text:
            return typedTest(test, number: none, string: column, boolean: none, present: "(" + column + " IS NOT NULL)", time: none)
        }
    }

    /// One operator over the typed views of a value; views that cannot apply are NULL (and so false).
    func typedTest(_ test: ValueTest, number: SQLQueryString, string: SQLQueryString, boolean: SQLQueryString,
                   present: SQLQueryString, time: SQLQueryString) -> SQLQueryString {
        func equals(_ operand: JSONValue?) -> SQLQueryString {
            switch operand {
            case .string(let s)?: return "(" + string + " = \(bind: s))"
            case .bool(let b)?: return dialect == .sqlite ? "(" + boolean + " = \(bind: b ? 1 : 0))" : "(" + boolean + " = \(bind: b))"
            case .int, .double:
                return "(" + number + " = \(bind: operand?.doubleValue ?? 0))"
            default: return "(1 = 0)"
            }
        }
        switch test.op {
        case .exists: return present
        case .notExists: return "(NOT " + present + ")"
        case .equals: return equals(test.value)
        case .notEquals: return "(NOT COALESCE(" + equals(test.value) + ", \(unsafeRaw: dialect.falseLiteral)))"
        case .in:
            // One IN list per type, not an OR per value: a thousand ORs nest past SQLite's expression depth limit.
            let values = test.value?.arrayValue ?? []
            let strings = values.compactMap { v -> String? in if case .string(let s) = v { s } else { nil } }
            let numbers = values.compactMap { v -> Double? in
                switch v { case .int, .double: v.doubleValue; default: nil }
            }
            let booleans = values.compactMap(\.boolValue)
            var parts: [SQLQueryString] = []
            let no = dialect.falseLiteral
            if !strings.isEmpty { parts.append("COALESCE(" + string + " IN (\(binds: strings)), \(unsafeRaw: no))") }
            if !numbers.isEmpty { parts.append("COALESCE(" + number + " IN (\(binds: numbers)), \(unsafeRaw: no))") }
            if !booleans.isEmpty {
                let bound: SQLQueryString = dialect == .sqlite ? "\(binds: booleans.map { $0 ? 1 : 0 })" : "\(binds: booleans)"
                parts.append("COALESCE(" + boolean + " IN (" + bound + "), \(unsafeRaw: no))")
            }
            return parts.isEmpty ? "(1 = 0)" : join(parts, with: " OR ")
        case .gt: return "(" + number + " > \(bind: test.value?.doubleValue ?? 0))"
        case .gte: return "(" + number + " >= \(bind: test.value?.doubleValue ?? 0))"
        case .lt: return "(" + number + " < \(bind: test.value?.doubleValue ?? 0))"
        case .lte: return "(" + number + " <= \(bind: test.value?.doubleValue ?? 0))"
        case .between:
            let pair = test.value?.arrayValue ?? []
            return "(" + number + " >= \(bind: pair.first?.doubleValue ?? 0) AND " + number + " <= \(bind: pair.last?.doubleValue ?? 0))"
        case .contains:
            let needle = test.value?.stringValue ?? ""
            return dialect == .sqlite ? "(instr(" + string + ", \(bind: needle)) > 0)" : "(strpos(" + string + ", \(bind: needle)) > 0)"
        case .startsWith:
            let prefix = test.value?.stringValue ?? ""
            return dialect == .sqlite ? "(substr(" + string + ", 1, length(\(bind: prefix))) = \(bind: prefix))"
                : "(left(" + string + ", length(\(bind: prefix))) = \(bind: prefix))"
        case .before, .after: return timeComparison(time, test)
        }
    }

    /// `expression < threshold` or `>` for a time test (fixed or relative to now).
    func timeComparison(_ expression: SQLQueryString, _ test: ValueTest) -> SQLQueryString {
        let threshold = test.ago.map { now - $0.milliseconds }
            ?? test.value.flatMap { $0.stringValue.flatMap(ISO8601.parse)?.epochMilliseconds ?? $0.intValue } ?? 0
        return "(" + expression + (test.op == .before ? " < " : " > ") + "\(bind: threshold))"
    }

    func timeComparison(_ aggregate: String, _ test: ValueTest) -> SQLQueryString {
        timeComparison(SQLQueryString(aggregate), test)
    }
}

extension Dialect {
    /// A boolean false both engines accept in expressions.
    var falseLiteral: String { self == .sqlite ? "0" : "FALSE" }
}
