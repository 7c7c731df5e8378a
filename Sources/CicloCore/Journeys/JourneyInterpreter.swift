import Foundation

/// What the interpreter needs to know about the person and the workspace when it advances an enrolment.
public struct JourneyContext: Sendable {
    public var now: Int64
    public var profile: Profile
    public var history: [Event]
    public var segments: Set<String>
    public var rules: JourneyRules
    /// In the workspace's global control group.
    public var heldOut: Bool
    /// Messages already sent or queued per channel, with their times (ms), for frequency caps.
    public var sent: [String: [Int64]]

    public init(now: Int64, profile: Profile, history: [Event] = [], segments: Set<String> = [], rules: JourneyRules = JourneyRules(),
                heldOut: Bool = false, sent: [String: [Int64]] = [:]) {
        self.now = now
        self.profile = profile
        self.history = history
        self.segments = segments
        self.rules = rules
        self.heldOut = heldOut
        self.sent = sent
    }

    var conditionContext: ConditionContext { ConditionContext(profile: profile, history: history, segments: segments, now: now) }
    var zone: String { profile.computed.timeZone ?? rules.defaultTimeZone }
}

/// The result of advancing one enrolment: its new state, what to do, and what happened.
public struct JourneyAdvance: Sendable {
    public var enrolment: Enrolment
    public var effects: [JourneyEffect] = []
    public var transitions: [JourneyTransition] = []
    /// The context after the advance (messages counted against caps).
    public var context: JourneyContext

    public init(enrolment: Enrolment, effects: [JourneyEffect] = [], transitions: [JourneyTransition] = [], context: JourneyContext) {
        self.enrolment = enrolment
        self.effects = effects
        self.transitions = transitions
        self.context = context
    }
}

/// Runs a journey's steps for one enrolment until it waits, finishes or exits. Pure: the engine and the dry run
/// both use it, so what a simulation reports is what the live engine would do.
public enum JourneyInterpreter {
    static let maxStepsPerAdvance = 64

    public static func advance(_ start: Enrolment, _ journey: JourneyDefinition, reason: WakeReason, context: JourneyContext) -> JourneyAdvance {
        var run = JourneyAdvance(enrolment: start, context: context)
        guard start.state == .active else { return run }
        if let exit = journey.exitWhen, ConditionEvaluator.evaluate(exit, context.conditionContext).matches {
            finish(&run, .exited)
            return run
        }
        if case .condition(let goal) = journey.goal, ConditionEvaluator.evaluate(goal, context.conditionContext).matches {
            finish(&run, .converted)
            return run
        }
        var reason = reason
        for _ in 0..<maxStepsPerAdvance {
            guard run.enrolment.state == .active, let step = journey.steps[run.enrolment.step] else {
                if run.enrolment.state == .active { finish(&run, .completed) }
                return run
            }
            if !run.enrolment.waiting { run.enrolment.stepsRun += 1 }
            let outcome = perform(step, journey, &run, reason)
            reason = .time
            switch outcome {
            case .stay: return run
            case .go(let next): move(&run, to: next)
            }
        }
        // A graph that keeps going without waiting is stopped rather than allowed to spin.
        finish(&run, .exited)
        return run
    }

    enum Outcome { case stay, go(String?) }

    static func perform(_ step: JourneyStep, _ journey: JourneyDefinition, _ run: inout JourneyAdvance, _ reason: WakeReason) -> Outcome {
        let now = run.context.now
        func note(_ outcome: String) { run.transitions.append(JourneyTransition(step: step.id, outcome: outcome)) }
        switch step.action {
        case .message(let channel, let template, let next):
            if run.enrolment.control { note("held_out"); return .go(next) }
            if !journey.transactional {
                if run.context.heldOut { note("held_out"); return .go(next) }
                if let quiet = run.context.rules.quietHours, let until = LocalTime.quietUntil(quiet, now: now, zone: run.context.zone) {
                    if quiet.hold {
                        if !run.enrolment.waiting { note("quiet_hold") }
                        run.enrolment.waiting = true
                        run.enrolment.wakeAt = until
                        return .stay
                    }
                    note("quiet_skip")
                    return .go(next)
                }
                for cap in run.context.rules.caps where cap.channel == channel {
                    let recent = (run.context.sent[channel] ?? []).filter { $0 > now - cap.window.milliseconds }
                    if recent.count >= cap.limit { note("capped"); return .go(next) }
                }
            }
            run.enrolment.waiting = false
            run.context.sent[channel, default: []].append(now)
            run.effects.append(.message(channel: channel, template: template, step: step.id,
                                        key: "enrolment:\(run.enrolment.id):\(step.id):\(run.enrolment.stepsRun)"))
            // The journey's part ends at queueing; what became of the message is the outbox's record.
            note("messaged")
            return .go(next)
        case .wait(let duration, let next):
            return timed(&run, until: now + duration.milliseconds, step.id, next)
        case .waitUntilTime(let time, let next):
            return timed(&run, until: LocalTime.next(time, after: now, zone: run.context.zone), step.id, next)
        case .waitUntilBestHour(let within, let next):
            if run.enrolment.waiting { return timed(&run, until: now, step.id, next) }
            guard let hour = run.context.profile.scores.bestSendHour else { note("no_best_hour"); return .go(next) }
            let at = LocalTime.nextHourOfWeek(hour, after: now, zone: run.context.zone)
            // The best hour is now, or too far away: go on at once.
            guard at > now, at <= now + within.milliseconds else { note("now"); return .go(next) }
            return timed(&run, until: at, step.id, next)
        case .waitUntilDate(let trait, let offset, let next):
            guard let base = run.context.profile.traits[trait]?.stringValue.flatMap(ISO8601.parse) else { note("no_date"); return .go(next) }
            return timed(&run, until: base.epochMilliseconds + offset.milliseconds, step.id, next)
        case .waitForEvent(let match, let key, let timeout, let onEvent, let onTimeout):
            if run.enrolment.waiting {
                if case .event(let event) = reason, matches(event, match, key, run.enrolment) {
                    clearWait(&run)
                    note("event")
                    return .go(onEvent)
                }
                if let wake = run.enrolment.wakeAt, now >= wake {
                    clearWait(&run)
                    note("timed_out")
                    return .go(onTimeout)
                }
                return .stay
            }
            // An event that already happened since the trigger (between steps) counts as arrived.
            if let earlier = run.context.history.last(where: { $0.timestamp.epochMilliseconds >= run.enrolment.enteredAt && matches($0, match, key, run.enrolment) }) {
                _ = earlier
                note("event")
                return .go(onEvent)
            }
            run.enrolment.waiting = true
            run.enrolment.wakeAt = now + timeout.milliseconds
            run.enrolment.waitEvent = match.name
            run.enrolment.waitKey = key.flatMap { run.enrolment.trigger.value(atPath: $0)?.scalarText }
            note("waiting")
            return .stay
        case .branch(let branches, let otherwise):
            for (index, branch) in branches.enumerated() where ConditionEvaluator.evaluate(branch.condition, run.context.conditionContext).matches {
                note("branch:\(index)")
                return .go(branch.next)
            }
            note("otherwise")
            return .go(otherwise)
        case .split(let arms):
            let total = arms.reduce(0) { $0 + $1.weight }
            var u = StableHash.unit("split|\(run.enrolment.id)|\(step.id)") * total
            var chosen = arms[arms.count - 1]
            for arm in arms where arm.weight > 0 {
                if u < arm.weight { chosen = arm; break }
                u -= arm.weight
            }
            run.enrolment.arm = chosen.name
            if chosen.control { run.enrolment.control = true }
            note("arm:\(chosen.name)")
            return .go(chosen.next)
        case .updateTraits(let traits, let next):
            run.effects.append(.updateTraits(traits, step: step.id))
            run.context.profile.setTraits(.object(traits), at: now)
            note("updated")
            return .go(next)
        case .webhook(let url, let next):
            run.effects.append(.webhook(url: url, step: step.id, key: "enrolment:\(run.enrolment.id):\(step.id):\(run.enrolment.stepsRun)"))
            note("called")
            return .go(next)
        case .exit:
            note("exited")
            run.enrolment.state = .exited
            run.enrolment.wakeAt = nil
            return .stay
        }
    }

    static func timed(_ run: inout JourneyAdvance, until: Int64, _ step: String, _ next: String?) -> Outcome {
        if run.enrolment.waiting {
            guard let wake = run.enrolment.wakeAt, run.context.now >= wake else { return .stay }
            clearWait(&run)
            return .go(next)
        }
        guard until > run.context.now else { return .go(next) }
        run.enrolment.waiting = true
        run.enrolment.wakeAt = until
        run.transitions.append(JourneyTransition(step: step, outcome: "waiting"))
        return .stay
    }

    static func clearWait(_ run: inout JourneyAdvance) {
        run.enrolment.waiting = false
        run.enrolment.wakeAt = nil
        run.enrolment.waitEvent = nil
        run.enrolment.waitKey = nil
    }

    static func move(_ run: inout JourneyAdvance, to next: String?) {
        guard let next else {
            finish(&run, .completed)
            return
        }
        run.enrolment.step = next
        run.enrolment.waiting = false
        run.enrolment.wakeAt = nil
        run.transitions.append(JourneyTransition(step: next, outcome: "entered"))
    }

    static func finish(_ run: inout JourneyAdvance, _ state: Enrolment.State) {
        run.enrolment.state = state
        run.enrolment.waiting = false
        run.enrolment.wakeAt = nil
        run.transitions.append(JourneyTransition(step: run.enrolment.step, outcome: state.rawValue))
    }

    /// True when `event` is the awaited one, carrying the trigger's key value when the wait is keyed.
    public static func matches(_ event: Event, _ match: EventMatch, _ key: String?, _ enrolment: Enrolment) -> Bool {
        guard match.matches(event, now: event.timestamp.epochMilliseconds) else { return false }
        guard let key else { return true }
        let expected = enrolment.waitKey ?? enrolment.trigger.value(atPath: key)?.scalarText
        return expected != nil && event.properties.value(atPath: key)?.scalarText == expected
    }
}
