import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// Creating and editing a journey as a document: problems are listed by step and outlined on the graph.
struct JourneyEditor {
    let store: Store
    let clock: any CicloClock
    let library: JourneyLibrary

    struct Problem { var step: String; var message: String }
    struct Model {
        var isNew: Bool; var key: String; var name: String; var document: String; var action: String
        var problems: [Problem]; var hasProblems: Bool; var graph: String?; var jsonError: String?; var valid: Bool
    }

    static let blank = """
        {
          "key": "my-journey",
          "name": "My journey",
          "trigger": {"event": "Signed Up"},
          "start": "hello",
          "steps": {
            "hello": {"type": "message", "channel": "email", "template": "welcome-1"}
          }
        }
        """

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("journeys/new") { request, context in
            try context.require(.marketer)
            return try render(request, context, isNew: true, key: "", document: Self.blank, check: nil)
        }
        group.post("journeys/new") { request, context in
            try context.require(.marketer)
            return try await submit(request, context, existing: nil)
        }
        group.post("journeys/install") { _, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let key = try context.submitted()["template"] ?? ""
            guard let document = JourneyTemplates.all[key] else { throw CicloError.notFound("Ready-made journey \(key)") }
            if try await store.journey(workspaceId: workspace.id, key: key) != nil {
                throw CicloError.conflict("journey_exists", "A journey with key \(key) already exists; open it from the list.")
            }
            let definition = try JourneyDefinition.parse(document)
            try await library.save(workspaceId: workspace.id, definition)
            return DashboardResponse.redirect(to: "/journeys/\(key)?notice=saved")
        }
        group.get("journeys/:key/edit") { request, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let key = try context.parameters.require("key")
            guard let journey = try await store.journey(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Journey \(key)") }
            return try render(request, context, isNew: false, key: key, document: journey.definition.json.prettyJSONText,
                              check: .valid(journey.definition))
        }
        group.post("journeys/:key/edit") { request, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let key = try context.parameters.require("key")
            guard let journey = try await store.journey(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Journey \(key)") }
            return try await submit(request, context, existing: journey)
        }
    }

    enum Check {
        case valid(JourneyDefinition)
        case problems([JourneyProblem], JourneyDefinition?)
        case notJSON(String)
    }

    private func submit(_ request: Request, _ context: CicloRequestContext, existing: JourneyRecord?) async throws -> Response {
        let workspace = try context.dashboard().workspace
        let form = try context.submitted()
        let document = form.raw("document") ?? ""
        let templates = Set(try await store.messageTemplates(workspaceId: workspace.id).map(\.key))
        let check = Self.check(document, templates: templates, key: existing?.definition.key)
        let key = existing?.definition.key ?? ""
        guard case .valid(let definition) = check else {
            return try render(request, context, isNew: existing == nil, key: key, document: document, check: check, status: .badRequest)
        }
        if form["intent"] == "validate" {
            return try render(request, context, isNew: existing == nil, key: key, document: document, check: check)
        }
        if existing == nil, try await store.journey(workspaceId: workspace.id, key: definition.key) != nil {
            return try render(request, context, isNew: true, key: key, document: document,
                              check: .problems([JourneyProblem(step: nil, message: "a journey with key \(definition.key) already exists")], definition),
                              status: .conflict)
        }
        do {
            try await library.save(workspaceId: workspace.id, definition)
        } catch let error as CicloError where error.kind == .badRequest {
            return try render(request, context, isNew: existing == nil, key: key, document: document,
                              check: .problems([JourneyProblem(step: nil, message: error.message)], definition), status: .badRequest)
        }
        return DashboardResponse.redirect(to: "/journeys/\(definition.key)?notice=saved")
    }

    static func check(_ document: String, templates: Set<String>, key: String?) -> Check {
        let json: JSONValue
        do { json = try JSONValue.parse(document) } catch let error as JSONParser.SyntaxError {
            return .notJSON("Not valid JSON: \(error.reason) at character \(error.offset).")
        } catch { return .notJSON("Not valid JSON.") }
        let (definition, problems) = JourneyDefinition.read(json, templates: templates)
        guard problems.isEmpty, let definition else { return .problems(problems, definition) }
        if let key, definition.key != key {
            return .problems([JourneyProblem(step: nil, message: "the key must stay \(key); create a new journey for a new key")], definition)
        }
        return .valid(definition)
    }

    private func render(_ request: Request, _ context: CicloRequestContext, isNew: Bool, key: String, document: String, check: Check?,
                        status: HTTPResponse.Status = .ok) throws -> Response {
        var problems: [Problem] = [], graph: String?, jsonError: String?, valid = false, name = key
        switch check {
        case .valid(let d)?:
            graph = JourneyGraph(definition: d, figures: [:], entered: "–", problems: []).svg
            valid = true
            name = d.name
        case .problems(let list, let d)?:
            problems = list.map { Problem(step: $0.step ?? "journey", message: $0.message) }
            if let d { graph = JourneyGraph(definition: d, figures: [:], entered: "–", problems: Set(list.compactMap(\.step))).svg }
        case .notJSON(let message)?: jsonError = message
        case nil: break
        }
        let model = Model(isNew: isNew, key: key, name: name, document: document, action: isNew ? "/journeys/new" : "/journeys/\(key)/edit",
                          problems: problems, hasProblems: !problems.isEmpty || jsonError != nil, graph: graph, jsonError: jsonError,
                          valid: valid && request.method == .post)
        return try DashboardView.render("journey-editor", title: isNew ? "New journey" : "Edit \(name)", page: model,
                                        request: request, context: context, status: status)
    }

    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>{{#isNew}}New journey{{/isNew}}{{^isNew}}Edit {{name}}{{/isNew}}</h1>
        <p class="sub">A journey is a document: a trigger, steps by id, a goal and entry rules. Saving makes a new version; people inside keep theirs.</p></div></div>
        {{#hasProblems}}<div class="error-box" role="alert" id="journey-problems"><strong>This journey cannot be saved yet:</strong>
        <ul class="step-errors">{{#jsonError}}<li>{{jsonError}}</li>{{/jsonError}}{{#problems}}<li><span class="mono">{{step}}</span>: {{message}}</li>{{/problems}}</ul></div>{{/hasProblems}}
        {{#valid}}<p class="notice" role="status">No problems found.</p>{{/valid}}
        <form method="post" action="{{action}}" class="card">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <div class="field"><label for="document">Journey document (JSON)</label>
        <textarea id="document" name="document" rows="24" spellcheck="false"{{#hasProblems}} aria-invalid="true" aria-describedby="journey-problems"{{/hasProblems}}>{{document}}</textarea></div>
        <button type="submit" name="intent" value="save">Save</button>
        <button type="submit" name="intent" value="validate" class="secondary">Check without saving</button>
        <a href="/journeys">Cancel</a>
        </form>
        {{#graph}}<section class="card"><h2>As a graph</h2><div class="graph-wrap">{{{graph}}}</div></section>{{/graph}}
        {{/page}}{{/content}}{{/layout}}
        """
}
