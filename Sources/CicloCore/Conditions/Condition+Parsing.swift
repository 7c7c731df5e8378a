import Foundation

extension Condition {
    /// Parses a condition from its JSON form; errors name the path of the bad part.
    public static func parse(_ json: JSONValue) throws -> Condition {
        let condition = try ConditionParser().condition(json, at: "")
        // Each part becomes SQL; a tree of thousands would hit the engines' expression and parameter limits.
        guard condition.partCount <= ConditionParser.maxParts else {
            throw ConditionError(path: "", reason: "has more than \(ConditionParser.maxParts) parts; split it into segments that refer to each other")
        }
        return condition
    }

    /// How many conditions, tests and listed values the tree holds (each becomes a piece of SQL or a bound value).
    var partCount: Int {
        func size(_ t: ValueTest) -> Int { 1 + (t.value?.arrayValue?.count ?? 0) }
        switch self {
        case .all(let list), .any(let list): return 1 + list.reduce(0) { $0 + $1.partCount }
        case .not(let inner): return 1 + inner.partCount
        case .trait(_, let t), .attribute(_, let t): return size(t)
        case .event(let e): return 1 + e.match.filters.reduce(0) { $0 + size($1.test) }
        case .sequence(let first, let then, _): return 1 + (first.filters + then.filters).reduce(0) { $0 + size($1.test) }
        default: return 1
        }
    }

    /// Parses a condition from JSON text.
    public static func parse(_ text: String) throws -> Condition {
        do {
            return try parse(try JSONValue.parse(text))
        } catch let error as JSONParser.SyntaxError {
            throw ConditionError(path: "", reason: "not valid JSON (\(error.reason) at byte \(error.offset))")
        }
    }
}

/// Reads the pieces of the condition language (conditions, event matches, time spans) from JSON.
public struct ConditionParser {
    public init() {}

    static let maxDepth = 32
    /// The most conditions, tests and listed values one tree may hold.
    public static let maxParts = 2_000
    /// The most values one `in` list may hold.
    public static let maxListValues = 1_000
    /// The longest name (trait, property, event, segment) and the longest text value.
    public static let maxNameLength = 200, maxTextLength = 1_000

    /// A name as conditions use it: non-empty, short, and free of control characters, quotes and backslashes (which
    /// have no place in a name and would break the JSON paths the SQL reads traits by).
    func name(_ value: JSONValue?, at path: String, what: String) throws -> String {
        guard let name = value?.stringValue, !name.isEmpty else { throw ConditionError(path: path, reason: "must be \(what)") }
        guard name.count <= Self.maxNameLength,
              !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "\\" }) else {
            throw ConditionError(path: path, reason: "must be \(what) of at most \(Self.maxNameLength) characters, without quotes, backslashes or control characters")
        }
        return name
    }

    /// Refuses overlong text and NUL in a value.
    func checkValue(_ value: JSONValue, at path: String) throws {
        if let text = value.stringValue, text.count > Self.maxTextLength || text.containsNUL {
            throw ConditionError(path: path, reason: "text values are at most \(Self.maxTextLength) characters, without NUL")
        }
    }

    func condition(_ json: JSONValue, at path: String, depth: Int = 0) throws -> Condition {
        guard depth <= Self.maxDepth else { throw ConditionError(path: path, reason: "nested too deeply") }
        guard case .object(let o) = json else { throw ConditionError(path: path, reason: "a condition is a JSON object") }
        func key(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }
        if let children = o["all"] ?? o["any"] {
            let name = o["all"] != nil ? "all" : "any"
            guard case .array(let list) = children else { throw ConditionError(path: key(name), reason: "must be a list of conditions") }
            let parsed = try list.enumerated().map { try condition($1, at: "\(key(name))[\($0)]", depth: depth + 1) }
            return name == "all" ? .all(parsed) : .any(parsed)
        }
        if let child = o["not"] { return .not(try condition(child, at: key("not"), depth: depth + 1)) }
        if let trait = o["trait"] {
            return .trait(try name(trait, at: key("trait"), what: "a trait name"), try test(o, at: path))
        }
        if let attribute = o["attribute"] {
            guard let name = attribute.stringValue, let parsed = ProfileAttribute(rawValue: name) else {
                throw ConditionError(path: key("attribute"), reason: "unknown attribute; one of \(ProfileAttribute.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .attribute(parsed, try test(o, at: path))
        }
        if o["event"] != nil || o["notPerformed"] != nil { return .event(try eventCondition(o, at: path)) }
        if let steps = o["sequence"] {
            guard case .array(let list) = steps, list.count == 2 else {
                throw ConditionError(path: key("sequence"), reason: "must be a list of two event matches")
            }
            guard let span = try o["within"].map({ try timeSpan($0, at: key("within")) }) else {
                throw ConditionError(path: key("within"), reason: "a sequence needs a window such as {\"days\": 7}")
            }
            return .sequence(first: try match(list[0], at: "\(key("sequence"))[0]"),
                             then: try match(list[1], at: "\(key("sequence"))[1]"), within: span)
        }
        if let segment = o["segment"] { return .segment(try text(segment, at: key("segment"))) }
        if let stage = o["stage"] {
            return .stage(try text(stage, at: key("stage")), forAtLeast: try o["for"].map { try timeSpan($0, at: key("for")) })
        }
        if let persona = o["persona"] { return .persona(try text(persona, at: key("persona"))) }
        if let rfm = o["rfm"] { return .rfm(try text(rfm, at: key("rfm"))) }
        if o["always"] == .bool(true) { return .always }
        throw ConditionError(path: path, reason: "unknown condition; expected one of all, any, not, trait, attribute, event, notPerformed, sequence, segment, stage, persona, rfm, always")
    }

    func text(_ value: JSONValue, at path: String) throws -> String {
        try name(value, at: path, what: "a non-empty string")
    }

    func test(_ o: [String: JSONValue], at path: String) throws -> ValueTest {
        func key(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }
        guard let opText = o["op"]?.stringValue else { throw ConditionError(path: key("op"), reason: "missing operator") }
        guard let op = ValueOperator(rawValue: opText) else {
            throw ConditionError(path: key("op"), reason: "unknown operator \(opText.debugDescription); one of \(ValueOperator.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let value = o["value"]
        if let value {
            for (i, item) in (value.arrayValue ?? [value]).enumerated() { try checkValue(item, at: value.arrayValue == nil ? key("value") : "\(key("value"))[\(i)]") }
        }
        switch op {
        case .exists, .notExists:
            return ValueTest(op)
        case .before, .after:
            if let ago = o["ago"] { return ValueTest(op, ago: try timeSpan(ago, at: key("ago"))) }
            guard let v = value, v.stringValue.flatMap(ISO8601.parse) != nil || v.intValue != nil else {
                throw ConditionError(path: key("value"), reason: "\(op.rawValue) needs an ISO 8601 date as value, or ago: {\"days\": n}")
            }
            return ValueTest(op, v)
        case .between:
            guard case .array(let pair) = value ?? .null, pair.count == 2, pair.allSatisfy({ $0.doubleValue != nil && $0.stringValue == nil }) else {
                throw ConditionError(path: key("value"), reason: "between needs two numbers: [low, high]")
            }
            return ValueTest(op, value)
        case .in:
            guard case .array(let list) = value ?? .null, !list.isEmpty, list.count <= Self.maxListValues,
                  list.allSatisfy({ if case .array = $0 { false } else if case .object = $0 { false } else { true } }) else {
                throw ConditionError(path: key("value"), reason: "in needs a list of 1 to \(Self.maxListValues) values")
            }
            return ValueTest(op, value)
        case .gt, .gte, .lt, .lte:
            guard let v = value, v.stringValue == nil, v.boolValue == nil, v.doubleValue != nil else {
                throw ConditionError(path: key("value"), reason: "\(op.rawValue) needs a number")
            }
            return ValueTest(op, v)
        case .contains, .startsWith:
            guard let v = value, v.stringValue?.isEmpty == false else {
                throw ConditionError(path: key("value"), reason: "\(op.rawValue) needs a non-empty string")
            }
            return ValueTest(op, v)
        case .equals, .notEquals:
            guard let v = value, !v.isNull, v.arrayValue == nil, v.objectValue == nil else {
                throw ConditionError(path: key("value"), reason: "\(op.rawValue) needs a string, number or boolean")
            }
            return ValueTest(op, v)
        }
    }

    public func timeSpan(_ json: JSONValue, at path: String) throws -> TimeSpan {
        guard case .object(let o) = json, o.count == 1, let (unit, amount) = o.first, let n = amount.doubleValue, n > 0, n < 1e6,
              amount.stringValue == nil else {
            throw ConditionError(path: path, reason: "a time span is one of {\"days\": n}, {\"hours\": n}, {\"minutes\": n}, {\"weeks\": n} with n > 0")
        }
        switch unit {
        case "weeks": return TimeSpan(seconds: n * 7 * 86_400)
        case "days": return TimeSpan(seconds: n * 86_400)
        case "hours": return TimeSpan(seconds: n * 3_600)
        case "minutes": return TimeSpan(seconds: n * 60)
        default: throw ConditionError(path: path, reason: "unknown unit \(unit.debugDescription); use weeks, days, hours or minutes")
        }
    }

    public func match(_ json: JSONValue, at path: String) throws -> EventMatch {
        guard case .object(let o) = json, o["event"]?.stringValue?.isEmpty == false else {
            throw ConditionError(path: path, reason: "an event match needs an event name: {\"event\": \"Order Completed\"}")
        }
        let name = try self.name(o["event"], at: path.isEmpty ? "event" : "\(path).event", what: "an event name")
        var filters: [(path: String, test: ValueTest)] = []
        if let list = o["where"] {
            guard case .array(let items) = list else { throw ConditionError(path: "\(path).where", reason: "must be a list of property tests") }
            for (i, item) in items.enumerated() {
                let at = "\(path).where[\(i)]"
                guard case .object(let f) = item, f["property"]?.stringValue?.isEmpty == false else {
                    throw ConditionError(path: at, reason: "a property test needs a property name")
                }
                filters.append((try self.name(f["property"], at: "\(at).property", what: "a property name"), try test(f, at: at)))
            }
        }
        return EventMatch(name: name, filters: filters)
    }

    func eventCondition(_ o: [String: JSONValue], at path: String) throws -> EventCondition {
        func key(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }
        var fields = o
        let negated = o["notPerformed"] != nil
        if negated { fields["event"] = o["notPerformed"] }
        let m = try match(.object(fields), at: path)
        var window = EventWindow.ever
        if let within = o["within"] { window = .last(try timeSpan(within, at: key("within"))) }
        if let between = o["between"] {
            guard case .array(let pair) = between, pair.count == 2,
                  let from = pair[0].stringValue.flatMap(ISO8601.parse), let to = pair[1].stringValue.flatMap(ISO8601.parse), from < to else {
                throw ConditionError(path: key("between"), reason: "between needs two ISO 8601 dates, earliest first")
            }
            window = .between(from.epochMilliseconds, to.epochMilliseconds)
        }
        if negated { return EventCondition(m, window: window, measure: .count(.atMost, 0)) }
        if let first = o["first"] { return EventCondition(m, window: window, measure: .first(try timeTest(first, at: key("first")))) }
        if let last = o["last"] { return EventCondition(m, window: window, measure: .last(try timeTest(last, at: key("last")))) }
        guard let count = o["count"] else { return EventCondition(m, window: window, measure: .count(.atLeast, 1)) }
        guard case .object(let c) = count, c.count == 1, let (name, n) = c.first, let comparison = CountComparison(rawValue: name),
              let value = n.intValue, value >= 0, value < 1_000_000, n.stringValue == nil else {
            throw ConditionError(path: key("count"), reason: "count is one of {\"atLeast\": n}, {\"atMost\": n}, {\"exactly\": n} with n ≥ 0")
        }
        return EventCondition(m, window: window, measure: .count(comparison, Int(value)))
    }

    func timeTest(_ json: JSONValue, at path: String) throws -> ValueTest {
        guard case .object(let o) = json else { throw ConditionError(path: path, reason: "must be {\"op\": \"before\"|\"after\", ...}") }
        let t = try test(o, at: path)
        guard t.op == .before || t.op == .after else { throw ConditionError(path: "\(path).op", reason: "must be before or after") }
        return t
    }
}
