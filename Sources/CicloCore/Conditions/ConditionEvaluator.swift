import Foundation

/// What the evaluator knows about one person.
public struct ConditionContext: Sendable {
    /// The profile.
    public var profile: Profile
    /// The person's events that conditions may look at, in time order.
    public var history: [Event]
    /// Keys of the segments the person is in.
    public var segments: Set<String>
    /// Now, in ms.
    public var now: Int64

    /// Creates a context.
    public init(profile: Profile, history: [Event], segments: Set<String> = [], now: Int64) {
        self.profile = profile
        self.history = history
        self.segments = segments
        self.now = now
    }
}

/// Whether a condition holds, and the earliest moment it could change with no new events (a window lapsing).
public struct ConditionOutcome: Sendable, Equatable {
    public var matches: Bool
    /// When to look again (ms); nil when only new events can change the answer.
    public var changesAt: Int64?

    static func fixed(_ matches: Bool) -> ConditionOutcome { ConditionOutcome(matches: matches, changesAt: nil) }
}

/// The per-person evaluator of the condition language; the SQL compiler must agree with it.
public enum ConditionEvaluator {
    /// Evaluates `condition` for the person in `context`.
    public static func evaluate(_ condition: Condition, _ context: ConditionContext) -> ConditionOutcome {
        switch condition {
        case .always: return .fixed(true)
        case .all(let children):
            let outcomes = children.map { evaluate($0, context) }
            return ConditionOutcome(matches: outcomes.allSatisfy(\.matches), changesAt: outcomes.compactMap(\.changesAt).min())
        case .any(let children):
            let outcomes = children.map { evaluate($0, context) }
            return ConditionOutcome(matches: outcomes.contains(where: \.matches), changesAt: outcomes.compactMap(\.changesAt).min())
        case .not(let child):
            let outcome = evaluate(child, context)
            return ConditionOutcome(matches: !outcome.matches, changesAt: outcome.changesAt)
        case .trait(let path, let test):
            let value = JSONValue.object(context.profile.traits).value(atPath: path)
            return ValueTesting.evaluate(test, value: value.flatMap { $0.isNull ? nil : $0 }, isTime: false, now: context.now)
        case .attribute(let attribute, let test):
            return ValueTesting.evaluate(test, value: attribute.value(of: context.profile), isTime: attribute.kind == .time,
                                         now: context.now)
        case .event(let e): return evaluate(e, context)
        case .sequence(let first, let then, let within):
            let a = context.history.filter { first.matches($0, now: context.now) }.map { $0.timestamp.epochMilliseconds }
            let b = context.history.filter { then.matches($0, now: context.now) }.map { $0.timestamp.epochMilliseconds }
            let span = within.milliseconds
            return .fixed(a.contains { ta in b.contains { tb in tb > ta && tb <= ta + span } })
        case .segment(let key): return .fixed(context.segments.contains(key))
        case .stage(let key, let span):
            let l = context.profile.lifecycle
            guard l.stage == key else { return .fixed(false) }
            guard let span, let entered = l.stageEnteredAt else { return .fixed(span == nil) }
            let since = entered + span.milliseconds
            return since <= context.now ? .fixed(true) : ConditionOutcome(matches: false, changesAt: since)
        case .persona(let key): return .fixed(context.profile.lifecycle.persona == key)
        case .rfm(let name): return .fixed(context.profile.lifecycle.rfmSegment == name)
        }
    }

    static func evaluate(_ e: EventCondition, _ context: ConditionContext) -> ConditionOutcome {
        let now = context.now
        var times = context.history.filter { e.match.matches($0, now: now) }.map { $0.timestamp.epochMilliseconds }
        var changesAt: Int64?
        switch e.window {
        case .ever: break
        case .last(let span):
            times = times.filter { $0 >= now - span.milliseconds }
            // The oldest event in the window leaves it just after this moment.
            changesAt = times.min().map { $0 + span.milliseconds + 1 }
        case .between(let from, let to): times = times.filter { $0 >= from && $0 < to }
        }
        switch e.measure {
        case .count(let comparison, let n):
            let count = times.count
            let matches = switch comparison {
            case .atLeast: count >= n
            case .atMost: count <= n
            case .exactly: count == n
            }
            return ConditionOutcome(matches: matches, changesAt: changesAt)
        case .first(let test):
            guard let first = times.min() else { return ConditionOutcome(matches: false, changesAt: changesAt) }
            let outcome = ValueTesting.evaluate(test, value: .int(first), isTime: true, now: now)
            return ConditionOutcome(matches: outcome.matches, changesAt: [outcome.changesAt, changesAt].compactMap { $0 }.min())
        case .last(let test):
            guard let last = times.max() else { return ConditionOutcome(matches: false, changesAt: changesAt) }
            let outcome = ValueTesting.evaluate(test, value: .int(last), isTime: true, now: now)
            return ConditionOutcome(matches: outcome.matches, changesAt: [outcome.changesAt, changesAt].compactMap { $0 }.min())
        }
    }
}

extension EventMatch {
    /// True when `event` is this match's event and passes every property test.
    public func matches(_ event: Event, now: Int64) -> Bool {
        guard event.event == name else { return false }
        return filters.allSatisfy { filter in
            let value = event.properties.value(atPath: filter.path).flatMap { $0.isNull ? nil : $0 }
            return ValueTesting.evaluate(filter.test, value: value, isTime: false, now: now).matches
        }
    }
}
