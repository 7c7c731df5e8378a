import CicloCore
import Foundation

/// The segment builder's rows (what, which, how, value, within) turned into the condition language, so the common
/// conditions need no JSON; anything else is written in the JSON editor beside it.
struct ConditionBuilderForm {
    /// One row as submitted.
    struct Row: Sendable {
        var kind: String
        var field: String
        var op: String
        var value: String
        var days: String
    }

    /// The kinds of row and what they read.
    static let kinds: [(key: String, label: String)] = [
        ("trait", "Trait"), ("attribute", "Computed attribute"), ("event", "Did event"), ("stage", "Lifecycle stage"),
        ("rfm", "RFM segment"), ("segment", "In segment"),
    ]
    static let operators: [(key: String, label: String)] = [
        ("equals", "is"), ("not_equals", "is not"), ("contains", "contains"), ("starts_with", "starts with"),
        ("gt", "more than"), ("gte", "at least"), ("lt", "less than"), ("lte", "at most"), ("exists", "is set"),
        ("not_exists", "is not set"), ("within_days", "within the last N days"), ("older_than_days", "more than N days ago"),
    ]

    var match: String
    var rows: [Row]

    init(_ form: DashboardForm) {
        match = form["match"] == "any" ? "any" : "all"
        let kinds = form.all("kind"), fields = form.all("field"), ops = form.all("op"), values = form.all("value"), days = form.all("days")
        rows = kinds.indices.map { i in
            func at(_ list: [String]) -> String { i < list.count ? list[i].trimmingCharacters(in: .whitespaces) : "" }
            return Row(kind: at(kinds), field: at(fields), op: at(ops), value: at(values), days: at(days))
        }.filter { !$0.kind.isEmpty && !($0.field.isEmpty && $0.value.isEmpty) }
    }

    /// The condition, or an error naming the row at fault.
    func condition() throws -> Condition {
        guard !rows.isEmpty else { throw CicloError.badRequest("empty_condition", "Add at least one condition.") }
        let parts = try rows.enumerated().map { i, row in try Self.json(row, number: i + 1) }
        let json: JSONValue = parts.count == 1 ? parts[0] : [match: .array(parts)]
        do {
            return try Condition.parse(json)
        } catch let error as ConditionError {
            throw CicloError.badRequest("invalid_condition", "The conditions are not valid: \(error.description)")
        }
    }

    static func json(_ row: Row, number: Int) throws -> JSONValue {
        func fail(_ why: String) -> CicloError { CicloError.badRequest("invalid_condition", "Condition \(number): \(why)") }
        let value = typed(row.value)
        switch row.kind {
        case "trait", "attribute":
            guard !row.field.isEmpty else { throw fail("name the \(row.kind == "trait" ? "trait" : "attribute").") }
            var o: [String: JSONValue] = [row.kind: .string(row.field)]
            switch row.op {
            case "exists", "not_exists": o["op"] = .string(row.op)
            case "within_days", "older_than_days":
                guard let n = Double(row.value), n > 0 else { throw fail("give a number of days.") }
                o["op"] = .string(row.op == "within_days" ? "after" : "before")
                o["ago"] = ["days": .double(n)]
            case "":
                throw fail("choose how to compare.")
            default:
                guard !row.value.isEmpty else { throw fail("give a value to compare with.") }
                o["op"] = .string(row.op)
                o["value"] = value
            }
            return .object(o)
        case "event":
            guard !row.field.isEmpty else { throw fail("name the event, such as Order Completed.") }
            let n = Int(row.value) ?? 1
            guard n >= 0 else { throw fail("the count must be 0 or more.") }
            let comparison = ["lte": "atMost", "lt": "atMost", "equals": "exactly"][row.op] ?? "atLeast"
            var o: [String: JSONValue] = ["event": .string(row.field), "count": [comparison: .int(Int64(row.op == "lt" ? max(0, n - 1) : n))]]
            if let d = Double(row.days), d > 0 { o["within"] = ["days": .double(d)] }
            return .object(o)
        case "stage", "rfm", "segment":
            let key = row.value.isEmpty ? row.field : row.value
            guard !key.isEmpty else { throw fail("choose a \(row.kind == "rfm" ? "RFM segment" : row.kind).") }
            let condition: JSONValue = [row.kind: .string(key)]
            return row.op == "not_equals" ? ["not": condition] : condition
        default:
            throw fail("unknown kind \(row.kind).")
        }
    }

    /// Numbers and booleans as typed JSON; everything else as text.
    static func typed(_ text: String) -> JSONValue {
        if let i = Int64(text) { return .int(i) }
        if let d = Double(text), d.isFinite { return .double(d) }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        return .string(text)
    }
}
