import Foundation

/// A journey: a trigger, a graph of steps, a goal, and entry and exit rules — versioned as a JSON document.
public struct JourneyDefinition: Sendable, Equatable {
    public var key: String
    public var name: String
    public var trigger: JourneyTrigger
    /// The step enrolments start at.
    public var start: String
    public var steps: [String: JourneyStep]
    public var goal: JourneyGoal?
    public var entry: EntryRule
    /// Leaving this condition (checked at every step) ends the enrolment.
    public var exitWhen: Condition?
    /// Higher wins when frequency caps force a choice.
    public var priority: Int
    /// Transactional journeys bypass caps, quiet hours and the control group.
    public var transactional: Bool
    /// How its split arms and holdout are judged, stated before it runs.
    public var experiment: ExperimentPlan

    public init(key: String, name: String, trigger: JourneyTrigger, start: String, steps: [String: JourneyStep], goal: JourneyGoal? = nil,
                entry: EntryRule = EntryRule(), exitWhen: Condition? = nil, priority: Int = 0, transactional: Bool = false,
                experiment: ExperimentPlan = ExperimentPlan()) {
        self.experiment = experiment
        self.key = key
        self.name = name
        self.trigger = trigger
        self.start = start
        self.steps = steps
        self.goal = goal
        self.entry = entry
        self.exitWhen = exitWhen
        self.priority = priority
        self.transactional = transactional
    }
}

/// What enrols people.
public enum JourneyTrigger: Sendable, Equatable {
    /// An event, with property filters.
    case event(EventMatch)
    case segmentEntered(String)
    case segmentExited(String)
    case stageEntered(String)
    /// A date trait: enrol `offset` from it (negative is before), checked daily.
    case dateTrait(String, offset: TimeSpan)
    /// A yearly date trait such as a birthday: enrol on its day each year.
    case anniversary(String)
    /// Only through the API.
    case api
    /// Everyone in a segment, every `every`.
    case schedule(segment: String, every: TimeSpan)
}

/// How often one person may enter.
public struct EntryRule: Sendable, Equatable {
    public enum Frequency: Sendable, Equatable { case once, always, oncePer(TimeSpan) }
    public var frequency: Frequency
    /// Only people who match enter.
    public var condition: Condition?

    public init(frequency: Frequency = .once, condition: Condition? = nil) {
        self.frequency = frequency
        self.condition = condition
    }
}

/// What counts as a conversion: an event (optionally sharing a key with the trigger) or a condition.
public enum JourneyGoal: Sendable, Equatable {
    /// `revenueProperty` nil: the order's amount as `OrderEvent` reads it (for order events), else 0.
    case event(EventMatch, keyedBy: String?, revenueProperty: String?)
    case condition(Condition)
}

/// One step of a journey graph.
public struct JourneyStep: Sendable, Equatable {
    public var id: String
    public var action: JourneyAction

    public init(id: String, action: JourneyAction) {
        self.id = id
        self.action = action
    }
}

/// A point in a day in a person's own time zone, on allowed weekdays (1 Sunday … 7 Saturday).
public struct TimeOfDay: Sendable, Equatable {
    public var hour: Int
    public var minute: Int
    public var weekdays: Set<Int>
}

/// What a step does.
public indirect enum JourneyAction: Sendable, Equatable {
    case message(channel: String, template: String, next: String?)
    case wait(TimeSpan, next: String?)
    case waitUntilTime(TimeOfDay, next: String?)
    /// Wait for the person's best hour to engage (from the predictions) if it comes within `within`; otherwise go on.
    case waitUntilBestHour(within: TimeSpan, next: String?)
    case waitUntilDate(trait: String, offset: TimeSpan, next: String?)
    /// Wait for an event (optionally with the trigger's value of `matchTrigger` in the same property).
    case waitForEvent(EventMatch, matchTrigger: String?, timeout: TimeSpan, onEvent: String?, onTimeout: String?)
    case branch([(condition: Condition, next: String?)], otherwise: String?)
    case split([SplitArm])
    case updateTraits([String: JSONValue], next: String?)
    case webhook(url: String, next: String?)
    case exit

    public static func == (a: Self, b: Self) -> Bool { a.json == b.json }

    /// Every step this one can lead to.
    public var successors: [String] {
        switch self {
        case .message(_, _, let n), .wait(_, let n), .waitUntilTime(_, let n), .waitUntilBestHour(_, let n), .waitUntilDate(_, _, let n),
             .updateTraits(_, let n), .webhook(_, let n): return [n].compactMap { $0 }
        case .waitForEvent(_, _, _, let a, let b): return [a, b].compactMap { $0 }
        case .branch(let branches, let otherwise): return (branches.map(\.next) + [otherwise]).compactMap { $0 }
        case .split(let arms): return arms.compactMap(\.next)
        case .exit: return []
        }
    }

    /// True for steps that stop and wait for time or an event.
    public var waits: Bool {
        switch self {
        case .wait, .waitUntilTime, .waitUntilBestHour, .waitUntilDate, .waitForEvent: true
        default: false
        }
    }
}

/// One arm of a random split; a control arm sends nothing and exits.
public struct SplitArm: Sendable, Equatable {
    public var name: String
    public var weight: Double
    public var control: Bool
    public var next: String?
}
