import Foundation

/// A named audience with needs and preferences; a person gets the first persona, by priority, whose condition holds.
public struct Persona: Sendable, Equatable {
    public var key: String
    public var name: String
    public var description: String
    public var goals: [String]
    public var needs: [String]
    public var painPoints: [String]
    public var preferredChannels: [String]
    /// Lower numbers are checked first.
    public var priority: Int
    public var condition: Condition

    /// Creates a persona.
    public init(key: String, name: String, description: String = "", goals: [String] = [], needs: [String] = [],
                painPoints: [String] = [], preferredChannels: [String] = [], priority: Int, condition: Condition) {
        self.key = key
        self.name = name
        self.description = description
        self.goals = goals
        self.needs = needs
        self.painPoints = painPoints
        self.preferredChannels = preferredChannels
        self.priority = priority
        self.condition = condition
    }

    /// The descriptive part as JSON (everything but key, name, priority and condition).
    public var definition: JSONValue {
        ["description": .string(description), "goals": .array(goals.map(JSONValue.string)),
         "needs": .array(needs.map(JSONValue.string)), "painPoints": .array(painPoints.map(JSONValue.string)),
         "preferredChannels": .array(preferredChannels.map(JSONValue.string))]
    }

    /// The first persona whose condition holds, and when any of them could change.
    public static func assign(_ personas: [Persona], _ context: ConditionContext) -> (key: String?, changesAt: Int64?) {
        var changesAt: Int64?
        for persona in personas.sorted(by: { ($0.priority, $0.key) < ($1.priority, $1.key) }) {
            let outcome = ConditionEvaluator.evaluate(persona.condition, context)
            if let t = outcome.changesAt { changesAt = min(changesAt ?? t, t) }
            if outcome.matches { return (persona.key, changesAt) }
        }
        return (nil, changesAt)
    }
}
