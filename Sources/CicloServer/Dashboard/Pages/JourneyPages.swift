import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// Journeys: the list with status and numbers, one journey as a graph with per-step counts, and its dry run.
struct JourneyPages {
    let store: Store
    let clock: any CicloClock
    let library: JourneyLibrary

    struct Row {
        var key: String; var name: String; var status: String; var trigger: String; var version: Int
        var entered: String; var active: String; var converted: String; var rate: String; var revenue: String
    }
    struct Template { var key: String; var name: String }
    struct ListModel { var journeys: [Row]; var templates: [Template] }
    struct Figure { var label: String; var value: String }
    struct StepRow { var step: String; var kind: String; var outcomes: String; var waiting: String }
    struct Arm { var name: String; var enrolments: String; var converted: String; var rate: String; var revenue: String }
    struct DetailModel {
        var key: String; var name: String; var status: String; var version: Int
        var canActivate: Bool; var canPause: Bool
        var figures: [Figure]; var graph: String; var steps: [StepRow]; var arms: [Arm]; var hasArms: Bool
        var dryRun: DryRun?
        /// The channels this journey sends on that the server has no settings for, or empty.
        var channelWarning: String
        var activationError: String?
        var hasChannelWarning: Bool
    }
    struct DryRun { var days: Int; var figures: [Figure]; var steps: [StepRow]; var messages: String; var baseline: String }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("journeys") { request, context in
            let workspace = try context.dashboard().workspace
            var rows: [Row] = []
            for journey in try await store.journeys(workspaceId: workspace.id) {
                let stats = try await store.journeyStats(journeyId: journey.id)
                rows.append(Row(key: journey.definition.key, name: journey.definition.name, status: journey.status.rawValue,
                                trigger: JourneyGraph.describe(journey.definition.trigger), version: journey.version,
                                entered: DashboardFormat.count(stats.entered), active: DashboardFormat.count(stats.active),
                                converted: DashboardFormat.count(stats.converted),
                                rate: stats.entered > 0 ? DashboardFormat.percent(Double(stats.converted) / Double(stats.entered)) : "–",
                                revenue: DashboardFormat.money(stats.revenue)))
            }
            let templates = JourneyTemplates.all.values.compactMap { t in
                t["key"]?.stringValue.map { Template(key: $0, name: t["name"]?.stringValue ?? $0) }
            }.sorted { $0.name < $1.name }
            return try DashboardView.render("journeys", title: "Journeys", page: ListModel(journeys: rows, templates: templates),
                                            request: request, context: context)
        }
        group.get("journeys/:key") { request, context in
            try await detail(request, context, dryRun: nil)
        }
        group.post("journeys/:key/dry-run") { request, context in
            let workspace = try context.dashboard().workspace
            let journey = try await find(workspace, context)
            let days = Int(try context.submitted()["days"] ?? "30") ?? 30
            let result = try await JourneyDryRun(store: store, clock: clock).simulate(journey.definition, workspaceId: workspace.id, days: days)
            return try await detail(request, context, dryRun: Self.dryRun(result, days: days, definition: journey.definition))
        }
        group.post("journeys/:key/activate") { request, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let journey = try await find(workspace, context)
            do {
                try await library.activate(workspaceId: workspace.id, key: journey.definition.key, force: try context.submitted()["force"] == "true")
            } catch let error as CicloError where error.code == "channel_not_configured" {
                return try await detail(request, context, dryRun: nil, activationError: error.message, status: .conflict)
            }
            return DashboardResponse.redirect(to: "/journeys/\(journey.definition.key)?notice=activated")
        }
        group.post("journeys/:key/pause") { _, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let journey = try await find(workspace, context)
            try await store.setJourneyStatus(workspaceId: workspace.id, key: journey.definition.key, .paused)
            return DashboardResponse.redirect(to: "/journeys/\(journey.definition.key)?notice=paused")
        }
        JourneyEditor(store: store, clock: clock, library: library).register(on: group)
    }

    private func detail(_ request: Request, _ context: CicloRequestContext, dryRun: DryRun?, activationError: String? = nil,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let workspace = try context.dashboard().workspace
        let journey = try await find(workspace, context)
        let stats = try await store.journeyStats(journeyId: journey.id)
        let d = journey.definition
        var figures: [String: [String]] = [:]
        for id in d.steps.keys {
            var lines = Self.outcomeText(stats.steps[id] ?? [:]).map { [$0] } ?? []
            if let waiting = stats.waiting[id], waiting > 0 { lines.append("\(DashboardFormat.count(waiting)) waiting") }
            figures[id] = lines
        }
        let warning = library.unconfiguredChannels(d).map { "\($0.channel) needs \($0.needs)" }.joined(separator: "; ")
        let model = DetailModel(
            key: d.key, name: d.name, status: journey.status.rawValue, version: journey.version,
            canActivate: journey.status != .active, canPause: journey.status == .active,
            figures: [
                Figure(label: "Entered", value: DashboardFormat.count(stats.entered)),
                Figure(label: "In the journey now", value: DashboardFormat.count(stats.active)),
                Figure(label: "Converted", value: DashboardFormat.count(stats.converted)),
                Figure(label: "Conversion rate", value: stats.entered > 0 ? DashboardFormat.percent(Double(stats.converted) / Double(stats.entered)) : "–"),
                Figure(label: "Revenue from conversions", value: DashboardFormat.money(stats.revenue)),
            ],
            graph: JourneyGraph(definition: d, figures: figures, entered: DashboardFormat.count(stats.entered), problems: []).svg,
            steps: Self.stepRows(d, outcomes: stats.steps, waiting: stats.waiting),
            arms: stats.arms.keys.sorted().map { name in
                let a = stats.arms[name]!
                return Arm(name: name, enrolments: DashboardFormat.count(a.enrolments), converted: DashboardFormat.count(a.converted),
                           rate: a.enrolments > 0 ? DashboardFormat.percent(Double(a.converted) / Double(a.enrolments)) : "–",
                           revenue: DashboardFormat.money(a.revenue))
            },
            hasArms: !stats.arms.isEmpty, dryRun: dryRun,
            channelWarning: warning, activationError: activationError, hasChannelWarning: !warning.isEmpty)
        return try DashboardView.render("journey", title: d.name, page: model, request: request, context: context, status: status)
    }

    static func stepRows(_ d: JourneyDefinition, outcomes: [String: [String: Int]], waiting: [String: Int]) -> [StepRow] {
        let order = JourneyGraph(definition: d, figures: [:], entered: "", problems: []).layers.flatMap { $0 }
        return order.compactMap { id in
            guard let step = d.steps[id] else { return nil }
            return StepRow(step: id, kind: JourneyGraph.describe(step.action).1,
                           outcomes: outcomes[id].map { $0.sorted { $0.key < $1.key }.map { "\($0.key) \(DashboardFormat.count($0.value))" }.joined(separator: ", ") } ?? "–",
                           waiting: DashboardFormat.count(waiting[id] ?? 0))
        }
    }

    /// The main outcomes of a step in a line: "sent 1,204 · capped 3".
    static func outcomeText(_ outcomes: [String: Int]) -> String? {
        guard !outcomes.isEmpty else { return nil }
        // What happened at the step (sent, waited, branched) says more than that people passed through it.
        let telling = outcomes.filter { $0.key != "entered" && $0.key != "completed" }
        return (telling.isEmpty ? outcomes : telling).sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(2).map { "\($0.key) \(DashboardFormat.count($0.value))" }.joined(separator: " · ")
    }

    static func dryRun(_ r: JourneySimulation, days: Int, definition: JourneyDefinition) -> DryRun {
        func rate(_ g: JourneySimulation.Group) -> String { g.conversionRate.map { DashboardFormat.percent($0) } ?? "–" }
        let treated = r.treated
        var baseline = "Converted before any message: \(DashboardFormat.count(r.convertedBeforeFirstMessage)) "
            + "(\(DashboardFormat.money(r.revenueBeforeFirstMessage))), not credited. "
        if r.heldOut.people > 0 {
            baseline += "Messaged: \(rate(treated)) of \(DashboardFormat.count(treated.people)) converted after their first message; held out: "
                + "\(rate(r.heldOut)) of \(DashboardFormat.count(r.heldOut.people)) after the moment it would have gone."
        } else if let others = r.nonEntrants {
            baseline += "Nobody is held out. Of the \(DashboardFormat.count(others.people)) people in the replay who never entered, "
                + "\(rate(others)) did the goal event: they did not do what the trigger asks, so compare with care."
        }
        return DryRun(days: days, figures: [
            Figure(label: "Would enter", value: DashboardFormat.count(r.entered)),
            Figure(label: "Converted after a message", value: DashboardFormat.count(r.converted)),
            Figure(label: "Their revenue", value: DashboardFormat.money(r.revenue)),
            Figure(label: "Conversion rate", value: rate(treated)),
            Figure(label: "Held out", value: DashboardFormat.count(r.heldOut.people)),
            Figure(label: "Completed", value: DashboardFormat.count(r.completed)),
            Figure(label: "Exited early", value: DashboardFormat.count(r.exited)),
            Figure(label: "Still inside", value: DashboardFormat.count(r.stillActive)),
        ], steps: stepRows(definition, outcomes: r.steps, waiting: [:]),
        messages: r.messages.isEmpty ? "none" : r.messages.sorted { $0.key < $1.key }.map { "\($0.key) \(DashboardFormat.count($0.value))" }.joined(separator: ", "),
        baseline: baseline)
    }

    func find(_ workspace: Workspace, _ context: CicloRequestContext) async throws -> JourneyRecord {
        let key = try context.parameters.require("key")
        guard let journey = try await store.journey(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Journey \(key)") }
        return journey
    }
}
