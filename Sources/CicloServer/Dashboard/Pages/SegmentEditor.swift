import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// The segment builder: name and key, then either rows of common conditions or the condition as JSON, with a live count.
struct SegmentEditor {
    let store: Store

    struct Values {
        var key: String, name: String, description: String, mode: String, document: String, match: String
        var rows: [ConditionBuilderForm.Row]
        var isNew: Bool

        static let blank = Values(key: "", name: "", description: "", mode: "builder", document: "{\n  \"all\": []\n}", match: "all",
                                  rows: [], isNew: true)

        init(key: String, name: String, description: String, mode: String, document: String, match: String,
             rows: [ConditionBuilderForm.Row], isNew: Bool) {
            (self.key, self.name, self.description, self.mode, self.document, self.match, self.rows, self.isNew) =
                (key, name, description, mode, document, match, rows, isNew)
        }

        init(_ segment: SegmentRecord) {
            self.init(key: segment.definition.key, name: segment.definition.name, description: segment.definition.description,
                      mode: "json", document: segment.definition.condition.json.prettyJSONText, match: "all", rows: [], isNew: false)
        }
    }

    struct Option { var key: String; var label: String; var selected: Bool }
    struct RowView { var index: Int; var kinds: [Option]; var field: String; var ops: [Option]; var value: String; var days: String }
    struct Model {
        var values: Values
        var action: String
        var rows: [RowView]
        var builderMode: Bool
        var matchAny: Bool
        var attributes: [String], stages: [String], rfm: [String], segments: [String], events: [String]
        var keyError: String?, nameError: String?, conditionError: String?
        var hasErrors: Bool
    }

    /// Common event names of the Segment e-commerce spec and Ciclo's own, offered as suggestions.
    static let eventSuggestions = ["Order Completed", "Order Refunded", "Product Viewed", "Product Added", "Checkout Started",
                                   "Cart Viewed", "Signed Up", "Email Opened", "Email Link Clicked", "Message Sent", "Review Submitted",
                                   "Referral Completed", "NPS Submitted"]

    func render(_ request: Request, _ context: CicloRequestContext, values: Values, errors: [String: String],
                status: HTTPResponse.Status = .ok) async throws -> Response {
        let workspace = try context.dashboard().workspace
        let model = try await store.lifecycleModel(workspaceId: workspace.id)
        let rules = try await store.rfmRules(workspaceId: workspace.id)
        let segments = try await store.segments(workspaceId: workspace.id).map(\.definition.key)
        var rows = values.rows
        while rows.count < max(3, values.rows.count + 1) { rows.append(.init(kind: "", field: "", op: "", value: "", days: "")) }
        let page = Model(
            values: values, action: values.isNew ? "/segments/new" : "/segments/\(values.key)/edit",
            rows: rows.enumerated().map { i, row in
                RowView(index: i + 1,
                        kinds: [Option(key: "", label: "—", selected: row.kind.isEmpty)]
                            + ConditionBuilderForm.kinds.map { Option(key: $0.key, label: $0.label, selected: $0.key == row.kind) },
                        field: row.field,
                        ops: [Option(key: "", label: "—", selected: row.op.isEmpty)]
                            + ConditionBuilderForm.operators.map { Option(key: $0.key, label: $0.label, selected: $0.key == row.op) },
                        value: row.value, days: row.days)
            },
            builderMode: values.mode != "json", matchAny: values.match == "any",
            attributes: ProfileAttribute.allCases.map(\.rawValue), stages: model.stages.map(\.key),
            rfm: rules.rules.map(\.name) + ["Others"], segments: segments, events: Self.eventSuggestions,
            keyError: errors["key"], nameError: errors["name"], conditionError: errors["condition"], hasErrors: !errors.isEmpty)
        return try DashboardView.render("segment-editor", title: values.isNew ? "New segment" : "Edit \(values.name)", page: page,
                                        request: request, context: context, status: status)
    }

    func save(_ request: Request, _ context: CicloRequestContext, existing: SegmentRecord?) async throws -> Response {
        let workspace = try context.dashboard().workspace
        let form = try context.submitted()
        let builder = ConditionBuilderForm(form)
        let values = Values(key: existing?.definition.key ?? (form["key"] ?? ""), name: form["name"] ?? "", description: form["description"] ?? "",
                            mode: form["mode"] == "json" ? "json" : "builder", document: form.raw("document") ?? "", match: builder.match,
                            rows: builder.rows, isNew: existing == nil)
        var errors: [String: String] = [:]
        if values.name.isEmpty { errors["name"] = "Give the segment a name." }
        if existing == nil && !Slug.isValid(values.key) { errors["key"] = "The key is 1 to 64 lower-case letters, digits, dashes or underscores." }
        var condition: Condition?
        do { condition = try Self.condition(form) } catch let error as CicloError { errors["condition"] = error.message }
        guard errors.isEmpty, let condition else {
            return try await render(request, context, values: values, errors: errors, status: .badRequest)
        }
        let definition = SegmentDefinition(key: values.key, name: values.name, description: values.description, condition: condition,
                                           readyMade: existing?.definition.readyMade ?? false)
        do {
            try await store.saveSegment(workspaceId: workspace.id, definition, create: existing == nil)
        } catch let error as CicloError where error.kind == .badRequest || error.kind == .conflict {
            let field = error.code.contains("key") || error.code == "segment_exists" ? "key" : error.code.contains("name") ? "name" : "condition"
            return try await render(request, context, values: values, errors: [field: error.message], status: error.kind.status)
        }
        _ = try await store.recomputeAudience(workspaceId: workspace.id, onlySegments: [definition.key])
        return DashboardResponse.redirect(to: "/segments/\(definition.key)?notice=saved")
    }

    /// The condition a submitted editor describes: the builder rows, or the JSON document.
    static func condition(_ form: DashboardForm) throws -> Condition {
        if form["mode"] == "json" {
            let text = form.raw("document") ?? ""
            let json: JSONValue
            do { json = try JSONValue.parse(text) } catch {
                throw CicloError.badRequest("invalid_json", "The condition is not valid JSON.")
            }
            do { return try Condition.parse(json) } catch let error as ConditionError {
                throw CicloError.badRequest("invalid_condition", "The condition is not valid: \(error.description)")
            }
        }
        return try ConditionBuilderForm(form).condition()
    }

    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>{{#values.isNew}}New segment{{/values.isNew}}{{^values.isNew}}Edit {{values.name}}{{/values.isNew}}</h1>
        <p class="sub">Describe who belongs; the count on the right updates as you type, before anything is saved.</p></div></div>
        {{#hasErrors}}<p class="error-box" role="alert">Some fields need attention; see the messages below them.</p>{{/hasErrors}}
        <div class="grid editor">
        <form method="post" action="{{action}}" id="segment-form" data-preview="/segments/preview" class="card">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <div class="field"><label for="name">Name</label>
        <input type="text" id="name" name="name" value="{{values.name}}" required{{#nameError}} aria-invalid="true" aria-describedby="name-error"{{/nameError}}>
        {{#nameError}}<p class="error" id="name-error">{{nameError}}</p>{{/nameError}}</div>
        {{#values.isNew}}<div class="field"><label for="key">Key</label>
        <input type="text" id="key" name="key" value="{{values.key}}" pattern="[a-z0-9_-]{1,64}" required{{#keyError}} aria-invalid="true" aria-describedby="key-error"{{/keyError}}>
        <p class="hint">Lower-case letters, digits and dashes; journeys and other segments refer to it by this key.</p>
        {{#keyError}}<p class="error" id="key-error">{{keyError}}</p>{{/keyError}}</div>{{/values.isNew}}
        <div class="field"><label for="description">Description</label>
        <textarea id="description" name="description" class="short">{{values.description}}</textarea></div>
        <fieldset><legend>Who belongs</legend>
        <p><label><input type="radio" name="mode" value="builder"{{#builderMode}} checked{{/builderMode}}> Build from common conditions</label>
        <label><input type="radio" name="mode" value="json"{{^builderMode}} checked{{/builderMode}}> Write the condition as JSON</label></p>
        <div class="field"><label for="match">People must match</label>
        <select id="match" name="match"><option value="all"{{^matchAny}} selected{{/matchAny}}>all of these</option><option value="any"{{#matchAny}} selected{{/matchAny}}>any of these</option></select></div>
        {{#rows}}<div class="rules-row">
        <div><label for="kind-{{index}}">Condition {{index}}</label><select id="kind-{{index}}" name="kind">{{#kinds}}<option value="{{key}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></div>
        <div><label for="field-{{index}}">Which</label><input type="text" id="field-{{index}}" name="field" value="{{field}}" list="suggestions" placeholder="order_count, plan, Order Completed"></div>
        <div><label for="op-{{index}}">How</label><select id="op-{{index}}" name="op">{{#ops}}<option value="{{key}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ops}}</select></div>
        <div><label for="value-{{index}}">Value</label><input type="text" id="value-{{index}}" name="value" value="{{value}}" list="values"></div>
        <div><label for="days-{{index}}">Within days</label><input type="number" id="days-{{index}}" name="days" value="{{days}}" min="0" placeholder="any time"></div>
        </div>{{/rows}}
        <p class="hint">For “Did event”, the value is how many times (default at least once) and “days” limits it to the last N days.</p>
        <datalist id="suggestions">{{#attributes}}<option value="{{.}}">{{/attributes}}{{#events}}<option value="{{.}}">{{/events}}</datalist>
        <datalist id="values">{{#stages}}<option value="{{.}}">{{/stages}}{{#rfm}}<option value="{{.}}">{{/rfm}}{{#segments}}<option value="{{.}}">{{/segments}}</datalist>
        <div class="field"><label for="document">Condition as JSON</label>
        <textarea id="document" name="document" spellcheck="false"{{#conditionError}} aria-invalid="true" aria-describedby="condition-error"{{/conditionError}}>{{values.document}}</textarea></div>
        {{#conditionError}}<p class="error" id="condition-error" role="alert">{{conditionError}}</p>{{/conditionError}}
        </fieldset>
        <button type="submit">Save segment</button> <a href="/segments">Cancel</a>
        </form>
        <aside class="card" aria-live="polite"><h2>Preview</h2>
        <p class="preview-count" id="preview-count">–</p><p class="muted" id="preview-status">Change a condition to count who matches.</p>
        <h3>Some of them</h3><ul id="preview-sample"></ul></aside>
        </div>
        {{/page}}{{/content}}{{/layout}}
        """
}
