import Foundation

extension Condition {
    /// The condition in plain words for people reading a dashboard: `order count ≥ 1 and first order at within the
    /// last 30 days`. Lossless enough to recognise a rule; the JSON stays the exact form.
    public var summary: String { words(top: true) }

    private func words(top: Bool) -> String {
        func group(_ parts: [Condition], _ joiner: String) -> String {
            let inner = parts.map { $0.words(top: false) }.joined(separator: " \(joiner) ")
            return top || parts.count < 2 ? inner : "(\(inner))"
        }
        switch self {
        case .all(let c): return c.isEmpty ? "everyone" : group(c, "and")
        case .any(let c): return c.isEmpty ? "no one" : group(c, "or")
        case .not(let c): return "not " + c.words(top: false)
        case .trait(let name, let test): return "trait \(name) \(test.summary)"
        case .attribute(let a, let test): return a.rawValue.replacingOccurrences(of: "_", with: " ") + " " + test.summary
        case .event(let e):
            var text: String
            switch e.measure {
            case .count(.atLeast, 1): text = "did \(e.match.summary)"
            case .count(.atMost, 0): text = "never did \(e.match.summary)"
            case .count(let c, let n): text = "did \(e.match.summary) \(c.words) \(n) time\(n == 1 ? "" : "s")"
            case .first(let t): text = "first \(e.match.summary) \(t.summary)"
            case .last(let t): text = "last \(e.match.summary) \(t.summary)"
            }
            switch e.window {
            case .ever: break
            case .last(let span): text += " in the last \(span.words)"
            case .between(let a, let b):
                text += " between \(ISO8601.format(Date(epochMilliseconds: a)).prefix(10)) and \(ISO8601.format(Date(epochMilliseconds: b)).prefix(10))"
            }
            return text
        case .sequence(let first, let then, let within): return "did \(first.summary) then \(then.summary) within \(within.words)"
        case .segment(let key): return "in segment \(key)"
        case .stage(let key, let span): return "in stage \(key)" + (span.map { " for at least \($0.words)" } ?? "")
        case .persona(let key): return "persona \(key)"
        case .rfm(let name): return "RFM segment \(name)"
        case .always: return "everyone"
        }
    }
}

extension ValueTest {
    /// `≥ 3`, `is "gold"`, `within the last 30 days`.
    var summary: String {
        let v = value.map { $0.stringValue.map { "\"\($0)\"" } ?? $0.jsonText } ?? ""
        switch op {
        case .equals: return "is \(v)"
        case .notEquals: return "is not \(v)"
        case .gt: return "> \(v)"
        case .gte: return "≥ \(v)"
        case .lt: return "< \(v)"
        case .lte: return "≤ \(v)"
        case .between: return "between \(value?.arrayValue?.map(\.jsonText).joined(separator: " and ") ?? v)"
        case .contains: return "contains \(v)"
        case .startsWith: return "starts with \(v)"
        case .in: return "is one of \(value?.arrayValue?.map { $0.stringValue ?? $0.jsonText }.joined(separator: ", ") ?? v)"
        case .exists: return "is set"
        case .notExists: return "is not set"
        case .before: return ago.map { "more than \($0.words) ago" } ?? "before \(v)"
        case .after: return ago.map { "within the last \($0.words)" } ?? "after \(v)"
        }
    }
}

extension EventMatch {
    var summary: String {
        filters.isEmpty ? name : name + " where " + filters.map { "\($0.path) \($0.test.summary)" }.joined(separator: " and ")
    }
}

extension CountComparison {
    var words: String {
        switch self {
        case .atLeast: "at least"
        case .atMost: "at most"
        case .exactly: "exactly"
        }
    }
}

extension TimeSpan {
    /// "30 days", "2 hours", for text people read.
    public var wordsForPeople: String { words }

    /// "30 days", "2 hours".
    var words: String {
        func unit(_ n: Double, _ name: String) -> String {
            (n == n.rounded() ? String(Int(saturating: n)) : String(format: "%.1f", n)) + " \(name)" + (n == 1 ? "" : "s")
        }
        if seconds >= 86_400 { return unit(seconds / 86_400, "day") }
        if seconds >= 3_600 { return unit(seconds / 3_600, "hour") }
        return unit(seconds / 60, "minute")
    }
}
