import Foundation

extension JourneyDefinition {
    /// Structural problems: unknown step references, unreachable steps, loops that never wait, missing templates.
    public func validate(templates: Set<String>? = nil) -> [JourneyProblem] {
        var problems: [JourneyProblem] = []
        if steps[start] == nil { problems.append(JourneyProblem(step: nil, message: "start names unknown step \(start)")) }
        for (id, step) in steps.sorted(by: { $0.key < $1.key }) {
            for next in step.action.successors where steps[next] == nil {
                problems.append(JourneyProblem(step: id, message: "leads to unknown step \(next)"))
            }
            if case .message(_, let template, _) = step.action, let templates, !templates.contains(template) {
                problems.append(JourneyProblem(step: id, message: "template \(template) does not exist"))
            }
        }
        var reachable = Set<String>()
        var frontier = steps[start] == nil ? [] : [start]
        while let id = frontier.popLast() {
            guard reachable.insert(id).inserted, let step = steps[id] else { continue }
            frontier += step.action.successors
        }
        for id in steps.keys.sorted() where !reachable.contains(id) {
            problems.append(JourneyProblem(step: id, message: "is unreachable from \(start)"))
        }
        // A cycle through steps that never wait would run forever within one moment.
        var state: [String: Int] = [:]
        func visit(_ id: String, path: [String]) {
            guard let step = steps[id], !step.action.waits else { return }
            if state[id] == 1 {
                problems.append(JourneyProblem(step: id, message: "is in a loop without a wait: \((path + [id]).joined(separator: " → "))"))
                return
            }
            guard state[id] == nil else { return }
            state[id] = 1
            for next in step.action.successors { visit(next, path: path + [id]) }
            state[id] = 2
        }
        for id in steps.keys.sorted() { visit(id, path: []) }
        return problems
    }
}
