import Foundation

extension Condition {
    /// The canonical JSON form (what `parse` reads back to an equal condition).
    public var json: JSONValue {
        switch self {
        case .all(let c): return ["all": .array(c.map(\.json))]
        case .any(let c): return ["any": .array(c.map(\.json))]
        case .not(let c): return ["not": c.json]
        case .trait(let name, let t): return .object(t.jsonFields.merging(["trait": .string(name)]) { a, _ in a })
        case .attribute(let a, let t): return .object(t.jsonFields.merging(["attribute": .string(a.rawValue)]) { a, _ in a })
        case .event(let e):
            var o = e.match.jsonFields
            switch e.window {
            case .ever: break
            case .last(let span): o["within"] = span.json
            case .between(let from, let to):
                o["between"] = [.string(ISO8601.format(Date(epochMilliseconds: from))), .string(ISO8601.format(Date(epochMilliseconds: to)))]
            }
            switch e.measure {
            case .count(let comparison, let n): o["count"] = [comparison.rawValue: .int(Int64(n))]
            case .first(let t): o["first"] = .object(t.jsonFields)
            case .last(let t): o["last"] = .object(t.jsonFields)
            }
            return .object(o)
        case .sequence(let first, let then, let within):
            return ["sequence": [.object(first.jsonFields), .object(then.jsonFields)], "within": within.json]
        case .segment(let key): return ["segment": .string(key)]
        case .stage(let key, let span):
            var o: [String: JSONValue] = ["stage": .string(key)]
            if let span { o["for"] = span.json }
            return .object(o)
        case .persona(let key): return ["persona": .string(key)]
        case .rfm(let name): return ["rfm": .string(name)]
        case .always: return ["always": true]
        }
    }
}

extension ValueTest {
    var jsonFields: [String: JSONValue] {
        var o: [String: JSONValue] = ["op": .string(op.rawValue)]
        if let value { o["value"] = value }
        if let ago { o["ago"] = ago.json }
        return o
    }
}

extension EventMatch {
    var jsonFields: [String: JSONValue] {
        var o: [String: JSONValue] = ["event": .string(name)]
        if !filters.isEmpty {
            o["where"] = .array(filters.map { .object($0.test.jsonFields.merging(["property": .string($0.path)]) { a, _ in a }) })
        }
        return o
    }
}

extension TimeSpan {
    var json: JSONValue {
        if seconds.truncatingRemainder(dividingBy: 86_400) == 0 { return ["days": .int(Int64(seconds / 86_400))] }
        if seconds.truncatingRemainder(dividingBy: 3_600) == 0 { return ["hours": .int(Int64(seconds / 3_600))] }
        return ["minutes": .double(seconds / 60)]
    }
}

extension Condition {
    /// Keys of the segments this condition refers to.
    public var segmentReferences: Set<String> {
        switch self {
        case .all(let c), .any(let c): c.reduce(into: Set()) { $0.formUnion($1.segmentReferences) }
        case .not(let c): c.segmentReferences
        case .segment(let key): [key]
        default: []
        }
    }

    /// True when the condition reads a prediction score, so a scoring run must recompute it.
    public var usesScores: Bool {
        switch self {
        case .all(let c), .any(let c): c.contains(where: \.usesScores)
        case .not(let c): c.usesScores
        case .attribute(let a, _): a.isScore
        default: false
        }
    }

    /// Event names this condition looks at (events that can change its value).
    public var eventNames: Set<String> {
        switch self {
        case .all(let c), .any(let c): c.reduce(into: Set()) { $0.formUnion($1.eventNames) }
        case .not(let c): c.eventNames
        case .event(let e): [e.match.name]
        case .sequence(let a, let b, _): [a.name, b.name]
        default: []
        }
    }

    /// True when the condition reads lifecycle stage, persona or RFM, which their own evaluators set.
    public var readsLifecycle: Bool {
        switch self {
        case .all(let c), .any(let c): c.contains { $0.readsLifecycle }
        case .not(let c): c.readsLifecycle
        case .stage, .persona, .rfm: true
        case .attribute(let a, _): [.stage, .persona, .rfmSegment, .rfmRecency, .rfmFrequency, .rfmMonetary, .stageEnteredAt].contains(a)
        default: false
        }
    }
}
