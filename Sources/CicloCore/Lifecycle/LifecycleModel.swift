import Foundation

/// An ordered list of lifecycle stages; a person is in the highest stage whose condition holds.
public struct LifecycleModel: Sendable, Equatable {
    /// One stage: a key, a display name and the condition that places people in it.
    public struct Stage: Sendable, Equatable {
        public var key: String
        public var name: String
        public var condition: Condition

        public init(key: String, name: String, condition: Condition) {
            self.key = key
            self.name = name
            self.condition = condition
        }
    }

    /// The model's key (`marketing`, `b2b`, ...).
    public var key: String
    /// Its display name.
    public var name: String
    /// Stages from first to last.
    public var stages: [Stage]

    /// Creates a model.
    public init(key: String, name: String, stages: [Stage]) {
        self.key = key
        self.name = name
        self.stages = stages
    }

    /// The highest stage whose condition holds (the first stage when none does), and when that could change.
    public func stage(for context: ConditionContext) -> (key: String?, changesAt: Int64?) {
        var changesAt: Int64?
        for stage in stages.reversed() {
            let outcome = ConditionEvaluator.evaluate(stage.condition, context)
            if let t = outcome.changesAt { changesAt = min(changesAt ?? t, t) }
            if outcome.matches { return (stage.key, changesAt) }
        }
        return (stages.first?.key, changesAt)
    }

    /// Checks keys and conditions; throws with the stage at fault.
    public func validate() throws {
        guard !stages.isEmpty else { throw CicloError.badRequest("invalid_model", "A lifecycle model needs at least one stage.") }
        var seen = Set<String>()
        for (i, stage) in stages.enumerated() {
            guard Slug.isValid(stage.key) else {
                throw CicloError.badRequest("invalid_model", "stages[\(i)].key: \(Slug.rule)")
            }
            guard seen.insert(stage.key).inserted else {
                throw CicloError.badRequest("invalid_model", "stages[\(i)].key: \(stage.key) appears twice.")
            }
            guard !stage.name.isEmpty else { throw CicloError.badRequest("invalid_model", "stages[\(i)].name is empty.") }
        }
    }

    /// The model as JSON.
    public var json: JSONValue {
        ["key": .string(key), "name": .string(name),
         "stages": .array(stages.map { ["key": .string($0.key), "name": .string($0.name), "condition": $0.condition.json] })]
    }

    /// Reads a model from JSON, naming the bad part on error.
    public static func parse(_ json: JSONValue) throws -> LifecycleModel {
        guard let key = json["key"]?.stringValue, let name = json["name"]?.stringValue,
              case .array(let list) = json["stages"] ?? .null else {
            throw CicloError.badRequest("invalid_model", "A lifecycle model is {\"key\", \"name\", \"stages\": [{\"key\", \"name\", \"condition\"}]}.")
        }
        let stages = try list.enumerated().map { i, item -> Stage in
            guard let k = item["key"]?.stringValue, let n = item["name"]?.stringValue, let c = item["condition"] else {
                throw CicloError.badRequest("invalid_model", "stages[\(i)] needs key, name and condition.")
            }
            do {
                return Stage(key: k, name: n, condition: try Condition.parse(c))
            } catch let error as ConditionError {
                throw CicloError.badRequest("invalid_condition", "stages[\(i)].condition.\(error.description)")
            }
        }
        let model = LifecycleModel(key: key, name: name, stages: stages)
        try model.validate()
        return model
    }
}

/// Keys for segments, stages and personas: lower-case letters, digits and dashes.
public enum Slug {
    public static let rule = "a key is 1 to 64 lower-case letters, digits, dashes or underscores"

    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}
