import Foundation

/// Replays past events through a journey definition with the live interpreter and a virtual clock, sending nothing.
public struct JourneySimulator: Sendable {
    public var definition: JourneyDefinition
    public var rules: JourneyRules
    /// The workspace secret (for the control group).
    public var secret: String

    public init(definition: JourneyDefinition, rules: JourneyRules, secret: String) {
        self.definition = definition
        self.rules = rules
        self.secret = secret
    }

    /// Runs `events` (each with its `profileId`) in time order against `profiles`, until `end`.
    public func run(events: [Event], profiles: [Int64: Profile], segments: [Int64: Set<String>] = [:], end: Int64) -> JourneySimulation {
        var report = JourneySimulation()
        var active: [Int64: Enrolment] = [:]
        var lastEntered: [Int64: Int64] = [:]
        var history: [Int64: [Event]] = [:]
        var sent: [Int64: [String: [Int64]]] = [:]
        var nextId: Int64 = 1
        // Per person in the journey now: when the first message went (or would have, held out), and whether held out.
        var firstTouch: [Int64: Int64] = [:]
        var heldOut: Set<Int64> = []
        var everEntered: Set<Int64> = []

        // A conversion is credited only after the person's first message; held out, it counts for the baseline.
        func credit(_ profile: Int64, revenue: Double) {
            if firstTouch[profile] == nil {
                report.convertedBeforeFirstMessage += 1
                report.revenueBeforeFirstMessage += revenue
            } else if heldOut.contains(profile) {
                report.heldOut.converted += 1
                report.heldOut.revenue += revenue
            } else {
                report.converted += 1
                report.revenue += revenue
            }
            firstTouch[profile] = nil; heldOut.remove(profile)
        }
        func record(_ advance: JourneyAdvance, profile: Int64) {
            for t in advance.transitions {
                report.steps[t.step, default: [:]][t.outcome, default: 0] += 1
                // Held out at the first message moment; someone messaged before a control arm stays with the messaged.
                if t.outcome == "held_out", firstTouch[profile] == nil {
                    report.heldOut.people += 1
                    heldOut.insert(profile)
                    firstTouch[profile] = advance.context.now
                }
            }
            for effect in advance.effects {
                if case .message(let channel, _, _, _) = effect {
                    report.messages[channel, default: 0] += 1
                    if firstTouch[profile] == nil { firstTouch[profile] = advance.context.now; report.messaged += 1 }
                }
            }
            sent[profile] = advance.context.sent
            switch advance.enrolment.state {
            case .active: active[profile] = advance.enrolment
            case .converted: credit(profile, revenue: 0); active[profile] = nil
            case .exited: report.exited += 1; active[profile] = nil
            case .completed: report.completed += 1; active[profile] = nil
            }
        }
        func step(_ e: Enrolment, _ reason: WakeReason, at now: Int64) {
            guard let profile = profiles[e.profileId] else { return }
            let context = JourneyContext(now: now, profile: profile, history: history[e.profileId] ?? [], segments: segments[e.profileId] ?? [],
                                         rules: rules, heldOut: rules.inControlGroup(profileId: e.profileId, secret: secret),
                                         sent: sent[e.profileId] ?? [:])
            record(JourneyInterpreter.advance(e, definition, reason: reason, context: context), profile: e.profileId)
        }
        func wakeDue(until now: Int64) {
            while let (profile, e) = active.filter({ ($0.value.wakeAt ?? .max) <= now }).min(by: { $0.value.wakeAt! < $1.value.wakeAt! }) {
                _ = profile
                step(e, .time, at: e.wakeAt!)
            }
        }

        for event in events.sorted(by: { ($0.timestamp, $0.id ?? 0) < ($1.timestamp, $1.id ?? 0) }) {
            guard let profile = event.profileId else { continue }
            let now = event.timestamp.epochMilliseconds
            wakeDue(until: now)
            history[profile, default: []].append(event)
            if let e = active[profile] {
                if let revenue = definition.goal?.reached(by: event, trigger: e.trigger, enteredAt: e.enteredAt) {
                    credit(profile, revenue: revenue)
                    report.steps[e.step, default: [:]]["converted", default: 0] += 1
                    active[profile] = nil
                } else if e.waiting, e.waitEvent == event.event {
                    step(e, .event(event), at: now)
                }
                continue
            }
            guard definition.trigger.fires(on: event), definition.entry.allows(lastEntered: lastEntered[profile], now: now),
                  let person = profiles[profile] else { continue }
            if let condition = definition.entry.condition,
               !ConditionEvaluator.evaluate(condition, ConditionContext(profile: person, history: history[profile] ?? [],
                                                                        segments: segments[profile] ?? [], now: now)).matches { continue }
            let enrolment = Enrolment(id: nextId, journeyId: 0, version: 1, profileId: profile, step: definition.start,
                                      trigger: event.properties, enteredAt: now)
            nextId += 1
            lastEntered[profile] = now
            everEntered.insert(profile)
            firstTouch[profile] = nil; heldOut.remove(profile)
            report.entered += 1
            report.steps[definition.start, default: [:]]["entered", default: 0] += 1
            step(enrolment, .time, at: now)
        }
        wakeDue(until: end)
        report.stillActive = active.count
        if report.heldOut.people == 0 { report.nonEntrants = nonEntrantBaseline(events: events, profiles: profiles, entered: everEntered) }
        return report
    }

    /// People in the replay who never entered and how many did the goal event in it: a baseline where nobody is held out.
    /// They are not a random control (they did not do what the trigger asks), so the page says so beside it.
    func nonEntrantBaseline(events: [Event], profiles: [Int64: Profile], entered: Set<Int64>) -> JourneySimulation.Group? {
        guard case .event(let match, _, let revenueProperty)? = definition.goal else { return nil }
        var group = JourneySimulation.Group(people: profiles.keys.filter { !entered.contains($0) }.count)
        var converted: Set<Int64> = []
        for event in events {
            guard let profile = event.profileId, !entered.contains(profile), !event.isDerived,
                  match.matches(event, now: event.timestamp.epochMilliseconds) else { continue }
            converted.insert(profile)
            group.revenue += revenueProperty.map { event.properties.value(atPath: $0)?.doubleValue ?? 0 } ?? OrderEvent.read(event)?.amount ?? 0
        }
        group.converted = converted.count
        return group
    }
}
