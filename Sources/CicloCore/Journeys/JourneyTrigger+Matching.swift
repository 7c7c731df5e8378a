import Foundation

extension JourneyTrigger {
    /// True when `event` starts this trigger: a matching event the person sent, or Ciclo's own segment and stage events.
    public func fires(on event: Event) -> Bool {
        switch self {
        case .event(let match): return !event.isDerived && match.matches(event, now: event.timestamp.epochMilliseconds)
        case .segmentEntered(let key):
            return event.isDerived && event.event == "Segment Entered" && event.properties["segment_key"]?.stringValue == key
        case .segmentExited(let key):
            return event.isDerived && event.event == "Segment Exited" && event.properties["segment_key"]?.stringValue == key
        case .stageEntered(let key):
            return event.isDerived && event.event == "Lifecycle Stage Changed" && event.properties["to"]?.stringValue == key
        case .dateTrait, .anniversary, .api, .schedule: return false
        }
    }
}

extension EntryRule {
    /// True when a person who last entered at `lastEntered` (nil: never) may enter now.
    public func allows(lastEntered: Int64?, now: Int64) -> Bool {
        guard let lastEntered else { return true }
        switch frequency {
        case .once: return false
        case .always: return true
        case .oncePer(let span): return lastEntered <= now - span.milliseconds
        }
    }
}

extension JourneyGoal {
    /// For an event goal: the revenue it carries when `event` reaches the goal of an enrolment triggered with `trigger`.
    public func reached(by event: Event, trigger: JSONValue, enteredAt: Int64) -> Double? {
        guard case .event(let match, let keyedBy, let revenueProperty) = self, !event.isDerived,
              event.timestamp.epochMilliseconds >= enteredAt, match.matches(event, now: event.timestamp.epochMilliseconds) else { return nil }
        if let key = keyedBy {
            guard let expected = trigger.value(atPath: key)?.scalarText, event.properties.value(atPath: key)?.scalarText == expected else { return nil }
        }
        guard let revenueProperty else { return OrderEvent.read(event)?.amount ?? 0 }
        return event.properties.value(atPath: revenueProperty)?.doubleValue ?? 0
    }
}
