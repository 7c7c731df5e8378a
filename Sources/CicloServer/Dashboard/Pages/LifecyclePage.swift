import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// The lifecycle: the active model and its stage conditions, stage metrics, the transition matrix, persona × stage.
struct LifecyclePage {
    let store: Store
    let clock: any CicloClock

    struct StageRow {
        var name: String; var key: String; var condition: String; var people: String; var entries: String
        var conversion: String; var median: String; var p90: String; var revenue: String; var chart: String
    }
    struct MatrixRow { var from: String; var cells: [String] }
    struct PersonaRow { var persona: String; var cells: [String]; var total: String }
    struct Option { var key: String; var name: String; var selected: Bool }
    struct Model {
        var modelName: String
        var builtIn: [Option]
        var stages: [StageRow]
        var stageNames: [String]
        var matrix: [MatrixRow]
        var heatmap: String
        var hasTransitions: Bool
        var personas: [PersonaRow]
        var hasPersonas: Bool
        var document: String
        var error: String?
        var days: Int
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("lifecycle") { request, context in
            try await show(request, context, document: nil, error: nil)
        }
        group.post("lifecycle") { request, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let form = try context.submitted()
            let model: LifecycleModel
            if let key = form["use"] {
                guard let builtIn = LifecycleModel.builtIn.first(where: { $0.key == key }) else {
                    throw CicloError.badRequest("unknown_model", "No built-in model \(key).")
                }
                model = builtIn
            } else {
                let text = form.raw("document") ?? ""
                do {
                    model = try LifecycleModel.parse(try JSONValue.parse(text))
                } catch let error as CicloError {
                    return try await show(request, context, document: text, error: error.message, status: .badRequest)
                } catch {
                    return try await show(request, context, document: text, error: "This is not valid JSON.", status: .badRequest)
                }
            }
            try await store.setLifecycleModel(workspaceId: workspace.id, model)
            _ = try await store.recomputeAudience(workspaceId: workspace.id)
            return DashboardResponse.redirect(to: "/lifecycle?notice=model")
        }
    }

    private func show(_ request: Request, _ context: CicloRequestContext, document: String?, error: String?,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let workspace = try context.dashboard().workspace
        let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
        let days = 90
        let to = clock.now(), from = to.addingTimeInterval(-Double(days) * 86_400)
        let model = try await store.lifecycleModel(workspaceId: workspace.id)
        let metrics = try await store.stageMetrics(workspaceId: workspace.id, from: from, to: to, window: .days(30), interval: .week,
                                                   timeZone: zone)
        let labels = metrics.periods.map { DashboardFormat.shortDay(Date(epochMilliseconds: $0.start), zone: zone) }
        let stages = zip(model.stages, metrics.stages).map { stage, m in
            StageRow(name: stage.name, key: stage.key, condition: stage.condition.summary, people: DashboardFormat.count(m.people),
                     entries: DashboardFormat.count(m.entries), conversion: m.conversionRate.map { DashboardFormat.percent($0) } ?? "–",
                     median: DashboardFormat.days(m.medianDaysInStage), p90: DashboardFormat.days(m.p90DaysInStage),
                     revenue: DashboardFormat.money(m.revenue),
                     chart: BarChart(label: "Entries into \(stage.name) per week", bars: zip(labels, m.entriesOverTime).map { ($0, Double($1)) }).svg)
        }
        let keys = model.stages.map(\.key), names = model.stages.map(\.name)
        let values = keys.map { from in keys.map { to in metrics.transitions[from]?[to] ?? 0 } }
        let personaCounts = try await store.personaStageCounts(workspaceId: workspace.id)
        let personas = try await store.personas(workspaceId: workspace.id)
        let personaNames = Dictionary(uniqueKeysWithValues: personas.map { ($0.key, $0.name) })
        let personaRows = personaCounts.keys.sorted().map { key in
            PersonaRow(persona: key.isEmpty ? "No persona" : personaNames[key] ?? key,
                       cells: keys.map { DashboardFormat.count(personaCounts[key]?[$0] ?? 0) },
                       total: DashboardFormat.count(personaCounts[key]?.values.reduce(0, +) ?? 0))
        }
        let page = Model(
            modelName: model.name,
            builtIn: LifecycleModel.builtIn.map { Option(key: $0.key, name: $0.name, selected: $0.key == model.key) },
            stages: stages, stageNames: names,
            matrix: zip(names, values).map { MatrixRow(from: $0, cells: $1.map(DashboardFormat.count)) },
            heatmap: HeatmapChart(label: "Moves between stages in the last \(days) days", rows: names, columns: names, values: values).svg,
            hasTransitions: values.joined().contains { $0 > 0 },
            personas: personaRows, hasPersonas: !personas.isEmpty,
            document: document ?? model.json.prettyJSONText, error: error, days: days)
        return try DashboardView.render("lifecycle", title: "Lifecycle", page: page, request: request, context: context, status: status)
    }

    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Lifecycle</h1><p class="sub">Model: <strong>{{modelName}}</strong>. Everyone is in the highest stage whose condition holds; figures cover the last {{days}} days.</p></div>
        {{#chrome.canEdit}}
        <form method="post" action="/lifecycle" class="actions">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <label for="use" class="muted">Built-in model</label>
        <select id="use" name="use">{{#builtIn}}<option value="{{key}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/builtIn}}</select>
        <button type="submit" class="secondary" data-confirm="Switch the lifecycle model? Everyone's stage is recomputed.">Use this model</button>
        </form>
        {{/chrome.canEdit}}
        </div>
        <section class="card"><h2>Stages</h2>
        <table><thead><tr><th>Stage</th><th class="num">People now</th><th class="num">Entries</th><th class="num">Moved on within 30 days</th>
        <th class="num">Median stay</th><th class="num">90th pct stay</th><th class="num">Revenue in stage</th></tr></thead><tbody>
        {{#stages}}<tr><td><strong>{{name}}</strong><div class="muted">{{condition}}</div></td><td class="num">{{people}}</td><td class="num">{{entries}}</td>
        <td class="num">{{conversion}}</td><td class="num">{{median}}</td><td class="num">{{p90}}</td><td class="num">{{revenue}}</td></tr>{{/stages}}
        </tbody></table></section>
        <section class="card"><h2>Entries per week</h2><div class="grid two">
        {{#stages}}<figure><figcaption><strong>{{name}}</strong></figcaption>{{{chart}}}</figure>{{/stages}}
        </div></section>
        <section class="card"><h2>Transitions</h2>
        {{#hasTransitions}}
        <div class="grid two"><div>{{{heatmap}}}</div><div>
        <table><caption class="muted">From (rows) → to (columns)</caption><thead><tr><th>From</th>{{#stageNames}}<th class="num">{{.}}</th>{{/stageNames}}</tr></thead><tbody>
        {{#matrix}}<tr><th scope="row">{{from}}</th>{{#cells}}<td class="num">{{.}}</td>{{/cells}}</tr>{{/matrix}}
        </tbody></table></div></div>
        {{/hasTransitions}}
        {{^hasTransitions}}<p class="muted">No one changed stage in this period.</p>{{/hasTransitions}}
        </section>
        <section class="card"><h2>Personas × stages</h2>
        {{^hasPersonas}}<p class="muted">No personas defined yet; they are created through <code>PUT /api/v1/personas/{key}</code>.</p>{{/hasPersonas}}
        <table><thead><tr><th>Persona</th>{{#stageNames}}<th class="num">{{.}}</th>{{/stageNames}}<th class="num">Total</th></tr></thead><tbody>
        {{#personas}}<tr><th scope="row">{{persona}}</th>{{#cells}}<td class="num">{{.}}</td>{{/cells}}<td class="num">{{total}}</td></tr>{{/personas}}
        </tbody></table></section>
        {{#chrome.canEdit}}
        <section class="card"><h2>Edit the model</h2>
        <form method="post" action="/lifecycle">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <div class="field"><label for="document">Model (JSON: key, name, stages with key, name and condition)</label>
        <textarea id="document" name="document" rows="18" spellcheck="false"{{#error}} aria-invalid="true" aria-describedby="document-error"{{/error}}>{{document}}</textarea>
        {{#error}}<p class="error" id="document-error">{{error}}</p>{{/error}}</div>
        <button type="submit">Save and recompute stages</button>
        </form></section>
        {{/chrome.canEdit}}
        {{/page}}{{/content}}{{/layout}}
        """
}
