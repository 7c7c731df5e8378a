import Foundation

/// Renders parsed templates against a JSON context; missing values render as nothing (or their default).
public struct TemplateRenderer: Sendable {
    /// Escape output for HTML (email HTML parts); text parts are left as they are.
    public var escapeHTML: Bool
    /// The zone dates render in.
    public var timeZone: TimeZone
    /// The currency `money` uses when no argument names one.
    public var currency: String
    /// The most items one loop walks.
    static let maxLoop = 500
    /// The most loop iterations one render runs in all: nested loops multiply, so each has its share of one budget.
    public static let maxIterations = 20_000
    /// The longest output one part may render, in bytes.
    public static let maxOutputBytes = 1024 * 1024

    public init(escapeHTML: Bool = false, timeZone: TimeZone = .gmt, currency: String = "USD") {
        self.escapeHTML = escapeHTML
        self.timeZone = timeZone
        self.currency = currency
    }

    /// Renders `nodes`; throws when the render would run more iterations or write more text than the budget allows.
    public func render(_ nodes: [TemplateNode], _ context: JSONValue) throws -> String {
        var scope = context
        var state = RenderState()
        try render(nodes, &scope, &state)
        return state.out
    }

    /// What one render has written and spent.
    struct RenderState {
        var out = ""
        var iterations = 0
    }

    func render(_ nodes: [TemplateNode], _ scope: inout JSONValue, _ state: inout RenderState) throws {
        for node in nodes {
            switch node {
            case .text(let text): state.out += text
            case .output(let expression, _):
                let value = evaluate(expression, scope)
                let text = Self.text(value)
                state.out += escapeHTML && !expression.filters.contains(where: { $0.name == "escape" }) ? Self.escape(text) : text
            case .conditional(let branches, let otherwise):
                if let branch = branches.first(where: { test($0.0, scope) }) {
                    try render(branch.1, &scope, &state)
                } else {
                    try render(otherwise, &scope, &state)
                }
            case .loop(let variable, let path, let body, let line):
                let items = Self.lookup(path, scope)?.arrayValue ?? []
                for (index, item) in items.prefix(Self.maxLoop).enumerated() {
                    state.iterations += 1
                    guard state.iterations <= Self.maxIterations else {
                        throw TemplateError(line: line, message: "the loops run more than \(Self.maxIterations) times in all")
                    }
                    guard case .object(var members) = scope else { break }
                    members[variable] = item
                    members["forloop"] = ["index": .int(Int64(index + 1)), "first": .bool(index == 0), "last": .bool(index == items.count - 1)]
                    var inner = JSONValue.object(members)
                    try render(body, &inner, &state)
                }
            }
            if state.out.utf8.count > Self.maxOutputBytes {
                throw TemplateError(line: node.line, message: "the message would be larger than \(Self.maxOutputBytes / 1024) KB")
            }
        }
    }

    func test(_ c: TemplateCondition, _ scope: JSONValue) -> Bool {
        let left = evaluate(c.left, scope)
        var result: Bool
        if let op = c.comparison, let rightExpression = c.right {
            let right = evaluate(rightExpression, scope)
            if let a = left?.doubleValue, let b = right?.doubleValue, left?.stringValue == nil || right?.stringValue == nil {
                result = switch op { case "==": a == b; case "!=": a != b; case ">": a > b; case "<": a < b; case ">=": a >= b; default: a <= b }
            } else {
                let a = Self.text(left), b = Self.text(right)
                result = switch op { case "==": a == b; case "!=": a != b; case ">": a > b; case "<": a < b; case ">=": a >= b; default: a <= b }
            }
        } else {
            result = Self.truthy(left)
        }
        return c.negated ? !result : result
    }

    func evaluate(_ e: TemplateExpression, _ scope: JSONValue) -> JSONValue? {
        var value = e.literal ?? e.path.flatMap { Self.lookup($0, scope) }
        for (name, argument) in e.filters { value = apply(name, argument, value) }
        return value
    }

    static func lookup(_ path: TemplatePath, _ scope: JSONValue) -> JSONValue? {
        var current: JSONValue? = scope
        for part in path.parts {
            if let index = Int(part), let array = current?.arrayValue { current = index < array.count && index >= 0 ? array[index] : nil }
            else { current = current?[part] }
        }
        return current.flatMap { $0.isNull ? nil : $0 }
    }

    static func truthy(_ v: JSONValue?) -> Bool {
        switch v {
        case nil, .null?: false
        case .bool(let b)?: b
        case .string(let s)?: !s.isEmpty
        case .int(let i)?: i != 0
        case .double(let d)?: d != 0
        case .array(let a)?: !a.isEmpty
        case .object(let o)?: !o.isEmpty
        }
    }

    static func text(_ v: JSONValue?) -> String {
        switch v {
        case nil, .null?: ""
        case .string(let s)?: s
        case .int(let i)?: String(i)
        case .double(let d)?: d.rounded() == d && abs(d) < 1e15 ? String(Int64(saturating: d)) : String(d)
        case .bool(let b)?: b ? "true" : "false"
        case .array(let a)?: a.map { text($0) }.joined(separator: ", ")
        case .object?: ""
        }
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
