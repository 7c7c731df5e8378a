import Foundation

/// A funnel: 2 to 10 steps, how they must follow one another, the window to complete them, exclusions and a breakdown.
public struct FunnelDefinition: Sendable, Equatable {
    /// Ordered: steps in order, other events may come between; strict: nothing else of the person's between; any
    /// order: every step within the window, in any order.
    public enum Order: String, Sendable { case ordered, strict, any }
    /// What splits the funnel into groups.
    public enum Breakdown: Sendable, Equatable {
        /// A property of the event that started the chain.
        case property(String)
        case stage, persona
        /// In or not in a segment.
        case segment(String)
    }
    /// An event that removes the person from the funnel when it happens between two steps (1-based).
    public struct Exclusion: Sendable, Equatable {
        public var match: EventMatch
        public var from: Int
        public var to: Int
    }

    public var steps: [EventMatch]
    public var order: Order
    public var window: TimeSpan
    public var exclusions: [Exclusion]
    public var breakdown: Breakdown?
    /// Leave out people still inside their window who have not finished (otherwise they are flagged).
    public var excludeInProgress: Bool

    public init(steps: [EventMatch], order: Order = .ordered, window: TimeSpan = .days(14), exclusions: [Exclusion] = [],
                breakdown: Breakdown? = nil, excludeInProgress: Bool = false) {
        (self.steps, self.order, self.window, self.exclusions, self.breakdown, self.excludeInProgress) =
            (steps, order, window, exclusions, breakdown, excludeInProgress)
    }

    /// Reads `{"steps": [...], "order": "ordered", "within": {"days": 14}, "exclude": [...], "breakdown": ...}`.
    /// A step is an event (`{"event": "Order Completed", "where": [...]}`), a segment entry (`{"segment": "vip"}`)
    /// or a stage entry (`{"stage": "fulfil"}`).
    public static func parse(_ json: JSONValue) throws -> FunnelDefinition {
        let parser = ConditionParser()
        func match(_ step: JSONValue, at path: String) throws -> EventMatch {
            if let key = step["segment"]?.stringValue {
                return EventMatch(name: "Segment Entered", filters: [("segment_key", ValueTest(.equals, .string(key)))])
            }
            if let key = step["stage"]?.stringValue {
                return EventMatch(name: "Lifecycle Stage Changed", filters: [("to", ValueTest(.equals, .string(key)))])
            }
            do { return try parser.match(step, at: path) } catch let e as ConditionError {
                throw CicloError.badRequest("invalid_funnel", "\(e.description)")
            }
        }
        guard case .array(let list) = json["steps"] ?? .null, (2...10).contains(list.count) else {
            throw CicloError.badRequest("invalid_funnel", "steps is a list of 2 to 10 steps.")
        }
        let steps = try list.enumerated().map { try match($1, at: "steps[\($0)]") }
        var definition = FunnelDefinition(steps: steps)
        if let order = json["order"]?.stringValue {
            guard let parsed = Order(rawValue: order) else { throw CicloError.badRequest("invalid_funnel", "order is ordered, strict or any.") }
            definition.order = parsed
        }
        if let within = json["within"] {
            do { definition.window = try parser.timeSpan(within, at: "within") } catch let e as ConditionError {
                throw CicloError.badRequest("invalid_funnel", e.description)
            }
        }
        for (i, item) in (json["exclude"]?.arrayValue ?? []).enumerated() {
            let between = item["between"]?.arrayValue?.compactMap(\.intValue) ?? [1, Int64(steps.count)]
            guard between.count == 2, between[0] >= 1, between[1] <= steps.count, between[0] < between[1] else {
                throw CicloError.badRequest("invalid_funnel", "exclude[\(i)].between is two step numbers, such as [1, 2].")
            }
            definition.exclusions.append(Exclusion(match: try match(item, at: "exclude[\(i)]"), from: Int(between[0]), to: Int(between[1])))
        }
        switch json["breakdown"] {
        case nil, .null?: break
        case .string("stage")?: definition.breakdown = .stage
        case .string("persona")?: definition.breakdown = .persona
        case let b? where b["property"]?.stringValue != nil:
            do { definition.breakdown = .property(try parser.name(b["property"], at: "breakdown.property", what: "a property name")) } catch let e as ConditionError {
                throw CicloError.badRequest("invalid_funnel", e.description)
            }
        case let b? where b["segment"]?.stringValue != nil:
            do { definition.breakdown = .segment(try parser.name(b["segment"], at: "breakdown.segment", what: "a segment key")) } catch let e as ConditionError {
                throw CicloError.badRequest("invalid_funnel", e.description)
            }
        default: throw CicloError.badRequest("invalid_funnel", "breakdown is \"stage\", \"persona\", {\"property\": ...} or {\"segment\": ...}.")
        }
        definition.excludeInProgress = json["excludeInProgress"]?.boolValue ?? false
        return definition
    }
}

/// A retention table: who starts (first time or every time) and who returns, by calendar period.
public struct RetentionDefinition: Sendable, Equatable {
    public enum Cohort: String, Sendable { case firstTime, recurring }
    public enum Returning: String, Sendable { case on, onOrAfter }

    /// The event that puts someone in a cohort (nil: any event).
    public var start: EventMatch?
    /// The event that counts as returning (nil: any event).
    public var returning: EventMatch?
    public var cohort: Cohort
    public var mode: Returning
    public var interval: CalendarInterval
    public var periods: Int
    /// With no event named, count Ciclo's own events and message-side reports as activity too (off: `PersonActivity`).
    public var includeCicloEvents: Bool

    public init(start: EventMatch? = nil, returning: EventMatch? = nil, cohort: Cohort = .firstTime, mode: Returning = .on,
                interval: CalendarInterval = .week, periods: Int = 12, includeCicloEvents: Bool = false) {
        (self.start, self.returning, self.cohort, self.mode, self.interval, self.periods) = (start, returning, cohort, mode, interval, periods)
        self.includeCicloEvents = includeCicloEvents
    }

    /// The first instant of a table of `periods` periods that ends with the one under way at `now`.
    public func start(endingAt now: Date) -> Date {
        now.addingTimeInterval(-Double(periods - 1) * interval.approximateSeconds)
    }
}

/// UTC offsets of a time zone between two instants, for turning timestamps into local calendar days in SQL.
public enum ZoneOffsets {
    /// The offset at `from` and every change until `to`: [(from this instant, offset in ms)].
    public static func between(_ zone: TimeZone, from: Int64, to: Int64) -> [(at: Int64, offset: Int64)] {
        var out: [(Int64, Int64)] = [(from, Int64(zone.secondsFromGMT(for: Date(epochMilliseconds: from))) * 1000)]
        var cursor = Date(epochMilliseconds: from)
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next.epochMilliseconds < to, out.count < 1_000 {
            out.append((next.epochMilliseconds, Int64(zone.secondsFromGMT(for: next)) * 1000))
            cursor = next
        }
        return out
    }
}
