import Foundation

/// One person's way through one journey.
public struct Enrolment: Sendable, Equatable {
    /// Where an enrolment stands.
    public enum State: String, Sendable, Codable { case active, completed, exited, converted }

    public var id: Int64
    public var journeyId: Int64
    public var version: Int
    public var profileId: Int64
    public var state: State
    /// The current step.
    public var step: String
    /// True while the current step waits (for time or an event).
    public var waiting: Bool
    /// When to run next (a wait ending, a timeout, a quiet-hours hold).
    public var wakeAt: Int64?
    /// The event name a `waitForEvent` step waits for, and the trigger's key value it must carry.
    public var waitEvent: String?
    public var waitKey: String?
    /// The trigger's properties, for keyed waits and goals.
    public var trigger: JSONValue
    /// The split arm taken, if any.
    public var arm: String?
    /// True on a control arm: later message steps send nothing.
    public var control: Bool
    public var enteredAt: Int64
    /// Steps run so far (guards against runaway graphs and keys idempotent messages).
    public var stepsRun: Int

    public init(id: Int64, journeyId: Int64, version: Int, profileId: Int64, step: String, trigger: JSONValue, enteredAt: Int64) {
        self.id = id
        self.journeyId = journeyId
        self.version = version
        self.profileId = profileId
        self.state = .active
        self.step = step
        self.waiting = false
        self.trigger = trigger
        self.control = false
        self.enteredAt = enteredAt
        self.stepsRun = 0
    }
}

/// Why an enrolment is being advanced.
public enum WakeReason: Sendable, Equatable {
    /// It was just created, or its time came.
    case time
    /// The event it waits for arrived.
    case event(Event)
}

/// Something advancing an enrolment asks the outside world to do, committed with the enrolment's new state.
public enum JourneyEffect: Sendable, Equatable {
    case message(channel: String, template: String, step: String, key: String)
    case webhook(url: String, step: String, key: String)
    case updateTraits([String: JSONValue], step: String)
}

/// One recorded move, for per-step counts.
public struct JourneyTransition: Sendable, Equatable {
    public var step: String
    /// `entered`, `sent`, `held_out`, `capped`, `quiet_hold`, `quiet_skip`, `waiting`, `event`, `timed_out`, `branch:N`,
    /// `otherwise`, `arm:NAME`, `completed`, `exited`, `converted`.
    public var outcome: String
}
