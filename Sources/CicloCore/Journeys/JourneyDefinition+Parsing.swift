import Foundation

/// A problem in a journey document, with the step it belongs to.
public struct JourneyProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public var step: String?
    public var message: String
    public var description: String { step.map { "step \($0): \(message)" } ?? message }

    public init(step: String?, message: String) {
        self.step = step
        self.message = message
    }
}

/// Thrown when a journey document has problems; lists all of them.
public struct JourneyInvalid: Error, Sendable {
    public var problems: [JourneyProblem]
    public var asCicloError: CicloError {
        .badRequest("invalid_journey", problems.map(\.description).joined(separator: "; "))
    }
}

extension JourneyDefinition {
    /// Parses and validates a journey document; `templates`, when given, are the template keys that exist.
    public static func parse(_ json: JSONValue, templates: Set<String>? = nil) throws -> JourneyDefinition {
        let (definition, problems) = read(json, templates: templates)
        guard problems.isEmpty, let definition else { throw JourneyInvalid(problems: problems) }
        return definition
    }

    /// Reads as much of a document as makes sense, with every problem: an editor can draw what is there and
    /// point at what is wrong.
    public static func read(_ json: JSONValue, templates: Set<String>? = nil) -> (JourneyDefinition?, [JourneyProblem]) {
        var reader = JourneyReader()
        let definition = reader.read(json)
        var problems = reader.problems
        if let definition { problems += definition.validate(templates: templates) }
        return (definition, problems)
    }
}

/// Reads a journey document, collecting every problem instead of stopping at the first.
struct JourneyReader {
    var problems: [JourneyProblem] = []
    let parser = ConditionParser()

    mutating func fail(_ message: String, step: String? = nil) { problems.append(JourneyProblem(step: step, message: message)) }

    mutating func read(_ json: JSONValue) -> JourneyDefinition? {
        guard case .object(let o) = json else { fail("a journey is a JSON object"); return nil }
        guard let key = o["key"]?.stringValue, Slug.isValid(key) else { fail("key: \(Slug.rule)"); return nil }
        guard let name = o["name"]?.stringValue, !name.isEmpty else { fail("name is required"); return nil }
        guard let trigger = trigger(o["trigger"]) else { return nil }
        guard case .object(let stepsJSON) = o["steps"] ?? .null, !stepsJSON.isEmpty else { fail("steps must be an object of steps by id"); return nil }
        var steps: [String: JourneyStep] = [:]
        for (id, body) in stepsJSON.sorted(by: { $0.key < $1.key }) {
            guard Slug.isValid(id) else { fail("step ids: \(Slug.rule)", step: id); continue }
            if let action = action(body, step: id) { steps[id] = JourneyStep(id: id, action: action) }
        }
        guard let start = o["start"]?.stringValue else { fail("start must name the first step"); return nil }
        var entry = EntryRule()
        if let e = o["entry"] {
            switch e["frequency"] {
            case nil, .string("once")?: entry.frequency = .once
            case .string("always")?: entry.frequency = .always
            case .object(let per)? where per["oncePer"] != nil:
                if let span = span(per["oncePer"]!, "entry.frequency.oncePer") { entry.frequency = .oncePer(span) }
            default: fail("entry.frequency is once, always or {\"oncePer\": {\"days\": n}}")
            }
            if let c = e["condition"] { entry.condition = condition(c, at: "entry.condition") }
        }
        var goal: JourneyGoal?
        if let g = o["goal"] {
            if let c = g["condition"] {
                goal = condition(c, at: "goal.condition").map(JourneyGoal.condition)
            } else if let m = match(g, at: "goal") {
                goal = .event(m, keyedBy: g["keyedBy"]?.stringValue, revenueProperty: g["revenueProperty"]?.stringValue)
            }
        }
        let exitWhen = o["exitWhen"].flatMap { condition($0, at: "exitWhen") }
        var experiment = ExperimentPlan()
        do { experiment = try ExperimentPlan.parse(o["experiment"], at: "experiment") } catch let error as CicloError { fail(error.message) } catch { fail("experiment: \(error)") }
        return JourneyDefinition(key: key, name: name, trigger: trigger, start: start, steps: steps, goal: goal, entry: entry,
                                 exitWhen: exitWhen, priority: Int(o["priority"]?.intValue ?? 0),
                                 transactional: o["transactional"]?.boolValue ?? false, experiment: experiment)
    }

    mutating func trigger(_ json: JSONValue?) -> JourneyTrigger? {
        guard case .object(let t)? = json else { fail("trigger is required"); return nil }
        if t["event"] != nil { return match(json!, at: "trigger").map(JourneyTrigger.event) }
        if let s = t["segmentEntered"]?.stringValue { return .segmentEntered(s) }
        if let s = t["segmentExited"]?.stringValue { return .segmentExited(s) }
        if let s = t["stageEntered"]?.stringValue { return .stageEntered(s) }
        if let trait = t["dateTrait"]?.stringValue {
            let offset = t["offset"].flatMap { signedSpan($0, "trigger.offset") } ?? TimeSpan(seconds: 0)
            return .dateTrait(trait, offset: offset)
        }
        if let trait = t["anniversary"]?.stringValue { return .anniversary(trait) }
        if t["api"]?.boolValue == true { return .api }
        if let segment = t["schedule"]?["segment"]?.stringValue, let every = t["schedule"]?["every"] {
            return span(every, "trigger.schedule.every").map { .schedule(segment: segment, every: $0) }
        }
        fail("trigger must be one of event, segmentEntered, segmentExited, stageEntered, dateTrait, anniversary, api, schedule")
        return nil
    }

    mutating func action(_ json: JSONValue, step: String) -> JourneyAction? {
        guard case .object(let o) = json, let type = o["type"]?.stringValue else { fail("a step needs a type", step: step); return nil }
        let next = o["next"]?.stringValue
        switch type {
        case "message":
            guard let channel = o["channel"]?.stringValue, ["email", "sms", "whatsapp", "push", "onsite", "webhook"].contains(channel) else {
                fail("channel must be email, sms, whatsapp, push or onsite", step: step); return nil
            }
            guard let template = o["template"]?.stringValue, !template.isEmpty else { fail("template is required", step: step); return nil }
            return .message(channel: channel, template: template, next: next)
        case "wait":
            return span(o["duration"] ?? .null, "duration", step: step).map { .wait($0, next: next) }
        case "waitUntilBestHour":
            return span(o["within"] ?? ["hours": 24], "within", step: step).map { .waitUntilBestHour(within: $0, next: next) }
        case "waitUntilTime":
            guard let text = o["time"]?.stringValue, let time = Self.timeOfDay(text, weekdays: o["weekdays"]) else {
                fail("time must be HH:MM and weekdays a list of 1 (Sunday) to 7 (Saturday)", step: step); return nil
            }
            return .waitUntilTime(time, next: next)
        case "waitUntilDate":
            guard let trait = o["trait"]?.stringValue else { fail("trait is required", step: step); return nil }
            return .waitUntilDate(trait: trait, offset: o["offset"].flatMap { signedSpan($0, "offset", step: step) } ?? TimeSpan(seconds: 0), next: next)
        case "waitForEvent":
            guard let m = match(json, at: "steps.\(step)", step: step), let timeout = span(o["timeout"] ?? .null, "timeout", step: step) else { return nil }
            return .waitForEvent(m, matchTrigger: o["matchTrigger"]?.stringValue, timeout: timeout,
                                 onEvent: o["onEvent"]?.stringValue, onTimeout: o["onTimeout"]?.stringValue)
        case "branch":
            guard case .array(let list) = o["branches"] ?? .null, !list.isEmpty else { fail("branches must be a non-empty list", step: step); return nil }
            var branches: [(Condition, String?)] = []
            for (i, b) in list.enumerated() {
                if let c = condition(b["condition"] ?? .null, at: "steps.\(step).branches[\(i)].condition", step: step) {
                    branches.append((c, b["next"]?.stringValue))
                }
            }
            return .branch(branches, otherwise: o["otherwise"]?.stringValue)
        case "split":
            guard case .array(let list) = o["arms"] ?? .null, list.count >= 2 else { fail("a split needs at least two arms", step: step); return nil }
            let arms = list.compactMap { arm -> SplitArm? in
                guard let name = arm["name"]?.stringValue, let w = arm["weight"]?.doubleValue, w >= 0, arm["weight"]?.stringValue == nil else { return nil }
                return SplitArm(name: name, weight: w, control: arm["control"]?.boolValue ?? false, next: arm["next"]?.stringValue)
            }
            guard arms.count == list.count, arms.reduce(0, { $0 + $1.weight }) > 0, Set(arms.map(\.name)).count == arms.count else {
                fail("each arm needs a unique name and a weight ≥ 0, and the weights must not all be 0", step: step); return nil
            }
            return .split(arms)
        case "updateTraits":
            guard case .object(let traits) = o["traits"] ?? .null, !traits.isEmpty else { fail("traits must be an object", step: step); return nil }
            return .updateTraits(traits, next: next)
        case "webhook":
            guard let url = o["url"]?.stringValue, url.hasPrefix("http://") || url.hasPrefix("https://") else {
                fail("url must be an http(s) URL", step: step); return nil
            }
            return .webhook(url: url, next: next)
        case "exit": return .exit
        default:
            fail("unknown step type \(type.debugDescription)", step: step)
            return nil
        }
    }

    mutating func match(_ json: JSONValue, at path: String, step: String? = nil) -> EventMatch? {
        do { return try parser.match(json, at: path) } catch let e as ConditionError { fail(e.description, step: step) } catch {}
        return nil
    }

    mutating func condition(_ json: JSONValue, at path: String, step: String? = nil) -> Condition? {
        do { return try parser.condition(json, at: path) } catch let e as ConditionError { fail(e.description, step: step) } catch {}
        return nil
    }

    mutating func span(_ json: JSONValue, _ path: String, step: String? = nil) -> TimeSpan? {
        do { return try parser.timeSpan(json, at: path) } catch let e as ConditionError { fail(e.description, step: step) } catch {}
        return nil
    }

    /// A span that may be negative (`{"days": -7}` is seven days before).
    mutating func signedSpan(_ json: JSONValue, _ path: String, step: String? = nil) -> TimeSpan? {
        guard case .object(let o) = json, o.count == 1, let (unit, value) = o.first, let n = value.doubleValue else {
            fail("\(path) is {\"days\": n} (n may be negative)", step: step); return nil
        }
        guard let unitSpan = span([unit: .double(abs(n) == 0 ? 1 : abs(n))], path, step: step) else { return nil }
        return TimeSpan(seconds: n == 0 ? 0 : (n < 0 ? -unitSpan.seconds : unitSpan.seconds))
    }

    static func timeOfDay(_ text: String, weekdays: JSONValue?) -> TimeOfDay? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        var days = Set(1...7)
        if let list = weekdays?.arrayValue {
            days = Set(list.compactMap { $0.intValue.map(Int.init) })
            guard !days.isEmpty, days.allSatisfy({ (1...7).contains($0) }), days.count == list.count else { return nil }
        }
        return TimeOfDay(hour: h, minute: m, weekdays: days)
    }
}
