import CicloCore
import Foundation

/// A journey drawn as a graph: the trigger on top, steps in layers below it (breadth first from the start), arrows
/// labelled with branch outcomes, and each step's numbers inside its box. Steps with problems are outlined in red.
struct JourneyGraph {
    var definition: JourneyDefinition
    /// Lines of figures per step (`sent 1,204`, `4 waiting`).
    var figures: [String: [String]]
    var entered: String
    var problems: Set<String>

    static let boxW = 190.0, boxH = 70.0, gapX = 36.0, gapY = 56.0

    /// Layers of step ids: breadth first from the start; steps never reached go last.
    var layers: [[String]] {
        var depth: [String: Int] = [:]
        var order: [String] = []
        var queue = definition.steps[definition.start] == nil ? [] : [definition.start]
        depth[definition.start] = 0
        while !queue.isEmpty {
            let id = queue.removeFirst()
            order.append(id)
            for next in definition.steps[id]?.action.successors ?? [] where depth[next] == nil && definition.steps[next] != nil {
                depth[next] = depth[id]! + 1
                queue.append(next)
            }
        }
        var layers: [[String]] = Array(repeating: [], count: (depth.values.max() ?? -1) + 1)
        for id in order { layers[depth[id]!].append(id) }
        let unreached = definition.steps.keys.filter { depth[$0] == nil }.sorted()
        if !unreached.isEmpty { layers.append(unreached) }
        return layers
    }

    var svg: String {
        let layers = self.layers
        let widest = max(1, layers.map(\.count).max() ?? 1)
        let width = Double(widest) * (Self.boxW + Self.gapX) + Self.gapX
        let height = Double(layers.count + 1) * (Self.boxH + Self.gapY) + Self.gapY / 2
        var position: [String: (x: Double, y: Double)] = [:]
        for (i, layer) in layers.enumerated() {
            let rowWidth = Double(layer.count) * (Self.boxW + Self.gapX) - Self.gapX
            for (j, id) in layer.enumerated() {
                position[id] = ((width - rowWidth) / 2 + Double(j) * (Self.boxW + Self.gapX), Double(i + 1) * (Self.boxH + Self.gapY) + 10)
            }
        }
        var out = "<svg class=\"graph\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(SVGChart.f(width)) \(SVGChart.f(height))\" role=\"img\" aria-label=\"Journey \(HTMLText.escape(definition.name)) as a graph\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#94a3b8\"/></marker></defs>"
        // The trigger.
        let tx = (width - Self.boxW) / 2, ty = 10.0
        out += node(x: tx, y: ty, kind: "trigger", title: "Trigger", subtitle: Self.describe(definition.trigger), lines: ["\(entered) entered"], invalid: false)
        if let start = position[definition.start] { out += edge(from: (tx, ty), to: start, label: nil) }
        for (id, step) in definition.steps.sorted(by: { $0.key < $1.key }) {
            guard let from = position[id] else { continue }
            for (next, label) in Self.exits(step.action) {
                guard let to = position[next] else { continue }
                out += edge(from: from, to: to, label: label)
            }
        }
        for (id, step) in definition.steps.sorted(by: { $0.key < $1.key }) {
            guard let p = position[id] else { continue }
            let (kind, subtitle) = Self.describe(step.action)
            out += node(x: p.x, y: p.y, kind: kind, title: id, subtitle: subtitle, lines: figures[id] ?? [], invalid: problems.contains(id))
        }
        return out + "</svg>"
    }

    private func node(x: Double, y: Double, kind: String, title: String, subtitle: String, lines: [String], invalid: Bool) -> String {
        var out = "<g class=\"node \(kind)\(invalid ? " invalid" : "")\" data-step=\"\(HTMLText.escape(title))\">"
        out += "<rect x=\"\(SVGChart.f(x))\" y=\"\(SVGChart.f(y))\" width=\"\(SVGChart.f(Self.boxW))\" height=\"\(SVGChart.f(Self.boxH))\" rx=\"8\"/>"
        out += "<text x=\"\(SVGChart.f(x + 10))\" y=\"\(SVGChart.f(y + 18))\" font-weight=\"600\">\(HTMLText.escape(Self.clip(title, 24)))</text>"
        out += "<text class=\"kind\" x=\"\(SVGChart.f(x + 10))\" y=\"\(SVGChart.f(y + 34))\">\(HTMLText.escape(Self.clip(subtitle, 30)))</text>"
        if let first = lines.first {
            out += "<text class=\"count\" x=\"\(SVGChart.f(x + 10))\" y=\"\(SVGChart.f(y + 52))\">\(HTMLText.escape(Self.clip(first, 30)))</text>"
        }
        if lines.count > 1 {
            out += "<text class=\"kind\" x=\"\(SVGChart.f(x + 10))\" y=\"\(SVGChart.f(y + 65))\">\(HTMLText.escape(Self.clip(lines[1...].joined(separator: " · "), 32)))</text>"
        }
        if invalid { out += "<title>This step has a problem; see the list below.</title>" }
        return out + "</g>"
    }

    private func edge(from a: (x: Double, y: Double), to b: (x: Double, y: Double), label: String?) -> String {
        let x1 = a.x + Self.boxW / 2, y1 = a.y + Self.boxH, x2 = b.x + Self.boxW / 2, y2 = b.y
        var d: String
        if y2 > y1 {
            let mid = (y1 + y2) / 2
            d = "M\(SVGChart.f(x1)),\(SVGChart.f(y1))C\(SVGChart.f(x1)),\(SVGChart.f(mid)) \(SVGChart.f(x2)),\(SVGChart.f(mid)) \(SVGChart.f(x2)),\(SVGChart.f(y2))"
        } else {
            // A loop back up: around the right side of the boxes.
            let side = max(a.x, b.x) + Self.boxW + Self.gapX / 2
            d = "M\(SVGChart.f(a.x + Self.boxW)),\(SVGChart.f(a.y + Self.boxH / 2))C\(SVGChart.f(side)),\(SVGChart.f(a.y + Self.boxH / 2)) \(SVGChart.f(side)),\(SVGChart.f(b.y + Self.boxH / 2)) \(SVGChart.f(b.x + Self.boxW)),\(SVGChart.f(b.y + Self.boxH / 2))"
        }
        var out = "<path class=\"edge\" d=\"\(d)\" marker-end=\"url(#arrow)\"/>"
        if let label {
            out += "<text class=\"edge-label\" x=\"\(SVGChart.f((x1 + x2) / 2 + 6))\" y=\"\(SVGChart.f((y1 + y2) / 2 - 2))\">\(HTMLText.escape(Self.clip(label, 22)))</text>"
        }
        return out
    }

    /// Where a step can go, with a label for the choice.
    static func exits(_ action: JourneyAction) -> [(String, String?)] {
        switch action {
        case .branch(let branches, let otherwise):
            return branches.enumerated().compactMap { i, b in b.next.map { ($0, "if \(i + 1)") } } + [otherwise.map { ($0, "otherwise") }].compactMap { $0 }
        case .split(let arms):
            // Weights are relative (50/50, 1/1, 0.9/0.1 all mean what they say): the label is the arm's share of the total.
            let total = arms.reduce(0) { $0 + $1.weight }
            return arms.compactMap { arm in
                arm.next.map { ($0, "\(arm.name) \(total > 0 ? Int(saturating: arm.weight / total * 100, rounding: .toNearestOrAwayFromZero) : 0)%") }
            }
        case .waitForEvent(_, _, _, let onEvent, let onTimeout):
            return [onEvent.map { ($0, "event") }, onTimeout.map { ($0, "timeout") }].compactMap { $0 }
        default: return action.successors.map { ($0, nil) }
        }
    }

    /// A step's kind (for styling) and a short description.
    static func describe(_ action: JourneyAction) -> (String, String) {
        switch action {
        case .message(let channel, let template, _): ("message", "\(channel) · \(template)")
        case .wait(let span, _): ("wait", "wait \(span.wordsForPeople)")
        case .waitUntilTime(let t, _): ("wait", String(format: "wait until %02d:%02d", t.hour, t.minute))
        case .waitUntilBestHour(let within, _): ("wait", "best hour within \(within.wordsForPeople)")
        case .waitUntilDate(let trait, _, _): ("wait", "wait until \(trait)")
        case .waitForEvent(let match, _, let timeout, _, _): ("wait", "wait for \(match.name) (\(timeout.wordsForPeople))")
        case .branch(let branches, _): ("branch", "branch · \(branches.count + 1) ways")
        case .split(let arms): ("split", "split · " + arms.map(\.name).joined(separator: "/"))
        case .updateTraits(let traits, _): ("update", "set " + traits.keys.sorted().joined(separator: ", "))
        case .webhook(let url, _): ("message", "webhook · " + (URL(string: url)?.host ?? url))
        case .exit: ("exit", "exit")
        }
    }

    static func describe(_ trigger: JourneyTrigger) -> String {
        switch trigger {
        case .event(let match): "event · \(match.name)"
        case .segmentEntered(let key): "enters segment \(key)"
        case .segmentExited(let key): "leaves segment \(key)"
        case .stageEntered(let key): "enters stage \(key)"
        case .dateTrait(let trait, _): "date · \(trait)"
        case .anniversary(let trait): "anniversary · \(trait)"
        case .api: "API enrolment"
        case .schedule(let segment, let every): "every \(every.wordsForPeople) · \(segment)"
        }
    }

    static func clip(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }
}
