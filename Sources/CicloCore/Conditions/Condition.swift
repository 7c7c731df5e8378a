import Foundation

/// A rule over a person — traits, computed attributes, behaviour, memberships — written as JSON, compiled to SQL
/// for whole segments and evaluated in Swift for one person as events arrive. Both must agree.
public indirect enum Condition: Sendable, Equatable {
    /// Every child holds (an empty list holds).
    case all([Condition])
    /// Some child holds (an empty list does not).
    case any([Condition])
    /// The child does not hold.
    case not(Condition)
    /// A trait (dotted path into traits) passes a test.
    case trait(String, ValueTest)
    /// A computed attribute passes a test.
    case attribute(ProfileAttribute, ValueTest)
    /// Something about the person's events.
    case event(EventCondition)
    /// One event and then another within a window.
    case sequence(first: EventMatch, then: EventMatch, within: TimeSpan)
    /// A member of the segment with this key.
    case segment(String)
    /// In the lifecycle stage with this key, optionally for at least a span.
    case stage(String, forAtLeast: TimeSpan?)
    /// Assigned the persona with this key.
    case persona(String)
    /// In the named RFM segment.
    case rfm(String)
    /// Always holds.
    case always
}

/// A length of time in seconds, written in days, hours, minutes or weeks.
public struct TimeSpan: Sendable, Equatable, Hashable {
    /// Seconds.
    public var seconds: Double
    /// Milliseconds, the unit stored times use.
    public var milliseconds: Int64 { Int64(saturating: seconds * 1000) }
    /// Creates a span.
    public init(seconds: Double) { self.seconds = seconds }
    /// `n` days.
    public static func days(_ n: Double) -> TimeSpan { TimeSpan(seconds: n * 86_400) }
    /// `n` hours.
    public static func hours(_ n: Double) -> TimeSpan { TimeSpan(seconds: n * 3_600) }
}

/// A comparison of a value with a constant, a list, a range, or a time relative to now.
public struct ValueTest: Sendable, Equatable {
    /// The operator.
    public var op: ValueOperator
    /// The operand (a list for `in`, a pair for `between`); nil for `exists` and relative times.
    public var value: JSONValue?
    /// For `before`/`after`: a time this long before now, instead of a fixed date.
    public var ago: TimeSpan?

    /// Creates a test.
    public init(_ op: ValueOperator, _ value: JSONValue? = nil, ago: TimeSpan? = nil) {
        self.op = op
        self.value = value
        self.ago = ago
    }
}

/// The comparisons the condition language has.
public enum ValueOperator: String, Sendable, CaseIterable {
    case equals, notEquals = "not_equals", gt, gte, lt, lte, between, contains, startsWith = "starts_with"
    case `in`, exists, notExists = "not_exists", before, after
}

/// Which events an event condition looks at: a name and property tests.
public struct EventMatch: Sendable, Equatable {
    /// The event name.
    public var name: String
    /// Tests on `properties` (dotted paths), all of which must pass.
    public var filters: [(path: String, test: ValueTest)]

    /// Creates a match.
    public init(name: String, filters: [(path: String, test: ValueTest)] = []) {
        self.name = name
        self.filters = filters
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.filters.count == b.filters.count
            && zip(a.filters, b.filters).allSatisfy { $0.path == $1.path && $0.test == $1.test }
    }
}

/// A condition on how often, or when first or last, a person did something.
public struct EventCondition: Sendable, Equatable {
    /// The events counted.
    public var match: EventMatch
    /// The period considered.
    public var window: EventWindow
    /// What is measured.
    public var measure: EventMeasure

    /// Creates an event condition.
    public init(_ match: EventMatch, window: EventWindow = .ever, measure: EventMeasure = .count(.atLeast, 1)) {
        self.match = match
        self.window = window
        self.measure = measure
    }
}

/// The period an event condition looks at.
public enum EventWindow: Sendable, Equatable {
    case ever
    /// The last span before now.
    case last(TimeSpan)
    /// From one instant (inclusive) to another (exclusive), in ms.
    case between(Int64, Int64)
}

/// What an event condition measures.
public enum EventMeasure: Sendable, Equatable {
    /// How many matching events, compared with a number.
    case count(CountComparison, Int)
    /// When the first matching event happened (ever), tested as a time.
    case first(ValueTest)
    /// When the last matching event happened (ever), tested as a time.
    case last(ValueTest)
}

/// At least, at most, or exactly.
public enum CountComparison: String, Sendable {
    case atLeast, atMost, exactly
}
