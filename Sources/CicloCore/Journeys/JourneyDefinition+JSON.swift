import Foundation

extension JourneyDefinition {
    /// The canonical JSON document (what `parse` reads back).
    public var json: JSONValue {
        var o: [String: JSONValue] = ["key": .string(key), "name": .string(name), "trigger": trigger.json, "start": .string(start),
                                      "steps": .object(steps.mapValues(\.action.json)), "priority": .int(Int64(priority)),
                                      "transactional": .bool(transactional)]
        var e: [String: JSONValue] = [:]
        switch entry.frequency {
        case .once: e["frequency"] = "once"
        case .always: e["frequency"] = "always"
        case .oncePer(let span): e["frequency"] = ["oncePer": span.json]
        }
        if let c = entry.condition { e["condition"] = c.json }
        o["entry"] = .object(e)
        if let goal {
            switch goal {
            case .condition(let c): o["goal"] = ["condition": c.json]
            case .event(let m, let keyedBy, let revenue):
                var g = m.jsonFields
                if let keyedBy { g["keyedBy"] = .string(keyedBy) }
                if let revenue { g["revenueProperty"] = .string(revenue) }
                o["goal"] = .object(g)
            }
        }
        if let exitWhen { o["exitWhen"] = exitWhen.json }
        if experiment != ExperimentPlan() { o["experiment"] = experiment.json }
        return .object(o)
    }
}

extension JourneyTrigger {
    var json: JSONValue {
        switch self {
        case .event(let m): return .object(m.jsonFields)
        case .segmentEntered(let s): return ["segmentEntered": .string(s)]
        case .segmentExited(let s): return ["segmentExited": .string(s)]
        case .stageEntered(let s): return ["stageEntered": .string(s)]
        case .dateTrait(let t, let offset): return ["dateTrait": .string(t), "offset": ["days": .double(offset.seconds / 86_400)]]
        case .anniversary(let t): return ["anniversary": .string(t)]
        case .api: return ["api": true]
        case .schedule(let s, let every): return ["schedule": ["segment": .string(s), "every": every.json]]
        }
    }
}

extension JourneyAction {
    /// The step as JSON.
    public var json: JSONValue {
        func with(_ o: [String: JSONValue], _ next: String?) -> JSONValue {
            var o = o
            if let next { o["next"] = .string(next) }
            return .object(o)
        }
        switch self {
        case .message(let c, let t, let n): return with(["type": "message", "channel": .string(c), "template": .string(t)], n)
        case .wait(let d, let n): return with(["type": "wait", "duration": d.json], n)
        case .waitUntilTime(let t, let n):
            return with(["type": "waitUntilTime", "time": .string(String(format: "%02d:%02d", t.hour, t.minute)),
                         "weekdays": .array(t.weekdays.sorted().map { .int(Int64($0)) })], n)
        case .waitUntilBestHour(let within, let n): return with(["type": "waitUntilBestHour", "within": within.json], n)
        case .waitUntilDate(let trait, let offset, let n):
            return with(["type": "waitUntilDate", "trait": .string(trait), "offset": ["days": .double(offset.seconds / 86_400)]], n)
        case .waitForEvent(let m, let key, let timeout, let onEvent, let onTimeout):
            var o = m.jsonFields
            o["type"] = "waitForEvent"
            o["timeout"] = timeout.json
            if let key { o["matchTrigger"] = .string(key) }
            if let onEvent { o["onEvent"] = .string(onEvent) }
            if let onTimeout { o["onTimeout"] = .string(onTimeout) }
            return .object(o)
        case .branch(let branches, let otherwise):
            var o: [String: JSONValue] = ["type": "branch", "branches": .array(branches.map { b in
                var x: [String: JSONValue] = ["condition": b.condition.json]
                if let next = b.next { x["next"] = .string(next) }
                return .object(x)
            })]
            if let otherwise { o["otherwise"] = .string(otherwise) }
            return .object(o)
        case .split(let arms):
            return ["type": "split", "arms": .array(arms.map { a in
                var x: [String: JSONValue] = ["name": .string(a.name), "weight": .double(a.weight), "control": .bool(a.control)]
                if let next = a.next { x["next"] = .string(next) }
                return .object(x)
            })]
        case .updateTraits(let traits, let n): return with(["type": "updateTraits", "traits": .object(traits)], n)
        case .webhook(let url, let n): return with(["type": "webhook", "url": .string(url)], n)
        case .exit: return ["type": "exit"]
        }
    }
}
