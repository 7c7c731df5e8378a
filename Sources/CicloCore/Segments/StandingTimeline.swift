/// Where a person stood over a stretch of history: the plan evaluated at each moment their profile changed (each
/// event's own time) and at each moment in between when a condition's window lapsed, in time order. So a year of
/// history loaded in one batch gives the same stage history and segment entries and exits, at the same times, as the
/// same events streamed one by one: stages and segments are evaluated in event time, not processing time.
public struct StandingTimeline: Sendable {
    /// The person as they were at a moment.
    public struct Point: Sendable {
        public var at: Int64
        public var profile: Profile
        public init(at: Int64, profile: Profile) {
            self.at = at
            self.profile = profile
        }
    }

    /// A change of standing at a moment.
    public struct Change: Sendable, Equatable {
        public var at: Int64
        public var before: AudiencePlan.Standing
        public var after: AudiencePlan.Standing
    }

    public let plan: AudiencePlan

    public init(plan: AudiencePlan) { self.plan = plan }

    /// Evaluates from `start` (the standing before, with `stageSince` the time its stage was entered) through every
    /// point, and through lapses up to `until` after the last one when `lapsesAfter` is set. `before` is the person
    /// before the first point, used for lapses due before it. Returns the changes in order and the final standing.
    public func run(start: AudiencePlan.Standing, stageSince: Int64?, before: Profile?, points: [Point], history: [Event],
                    until: Int64, lapsesAfter: Bool) -> (changes: [Change], final: AudiencePlan.Standing) {
        var current = start, since = stageSince
        var changes: [Change] = []
        var state = before
        // Moments only move forward, so the history up to each one grows by appending: no copy of it per moment.
        var upTo: [Event] = [], taken = 0, lastT = Int64.min
        func evaluate(_ profile: Profile, at t: Int64) {
            var p = profile
            p.lifecycle.stage = current.stage
            p.lifecycle.stageEnteredAt = since
            p.lifecycle.persona = current.persona
            if t < lastT { upTo = []; taken = 0 }
            lastT = t
            while taken < history.count, history[taken].timestamp.epochMilliseconds <= t {
                upTo.append(history[taken])
                taken += 1
            }
            var next = plan.evaluate(ConditionContext(profile: p, history: upTo, segments: current.segments, now: t))
            if next.changesAt.map({ $0 <= t }) == true { next.changesAt = nil }  // never loop on the same moment
            if next.segments != current.segments || next.stage != current.stage || next.persona != current.persona {
                changes.append(Change(at: t, before: current, after: next))
                if next.stage != current.stage { since = t }
            }
            current = next
        }
        func lapses(before limit: Int64, inclusive: Bool) {
            guard let profile = state else { return }
            var left = 10_000  // each lapse moves time forward; the bound only guards against a condition that never settles
            while let due = current.changesAt, inclusive ? due <= limit : due < limit, left > 0 {
                evaluate(profile, at: due)
                left -= 1
            }
        }
        for point in points {
            lapses(before: point.at, inclusive: false)
            state = point.profile
            evaluate(point.profile, at: point.at)
        }
        if lapsesAfter { lapses(before: until, inclusive: true) }
        return (changes, current)
    }
}
