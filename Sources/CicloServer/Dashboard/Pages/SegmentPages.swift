import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// Segments: the list with live counts, one segment with its members, and the builder with a live preview.
struct SegmentPages {
    let store: Store

    struct Row { var key: String; var name: String; var description: String; var count: String; var computed: String; var readyMade: Bool }
    struct ListModel { var segments: [Row] }
    struct Member { var id: Int64; var label: String; var email: String; var orders: String; var revenue: String; var entered: String }
    struct DetailModel {
        var key: String; var name: String; var description: String; var count: String; var computed: String; var condition: String
        var summary: String; var members: [Member]; var next: String?; var readyMade: Bool
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("segments") { request, context in
            let workspace = try context.dashboard().workspace
            let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
            let rows = try await store.segments(workspaceId: workspace.id).map {
                Row(key: $0.definition.key, name: $0.definition.name, description: $0.definition.description,
                    count: DashboardFormat.count($0.memberCount), computed: DashboardFormat.time($0.computedAt, zone: zone),
                    readyMade: $0.definition.readyMade)
            }
            return try DashboardView.render("segments", title: "Segments", page: ListModel(segments: rows), request: request, context: context)
        }
        group.get("segments/new") { request, context in
            try context.require(.marketer)
            return try await SegmentEditor(store: store).render(request, context, values: .blank, errors: [:])
        }
        group.post("segments/new") { request, context in
            try context.require(.marketer)
            return try await SegmentEditor(store: store).save(request, context, existing: nil)
        }
        group.post("segments/preview") { request, context in
            let workspace = try context.dashboard().workspace
            let form = try context.submitted()
            do {
                let condition = try SegmentEditor.condition(form)
                let (count, sample) = try await store.previewSegment(workspaceId: workspace.id, condition: condition)
                return JSONResponse.make(Preview(count: count, countText: DashboardFormat.count(count), sample: sample.map {
                    Preview.Person(id: $0.id, label: $0.name ?? $0.email ?? $0.userId ?? "Anonymous #\($0.id)")
                }))
            } catch let error as CicloError {
                return JSONResponse.error(error)
            }
        }
        group.get("segments/:key") { request, context in
            let workspace = try context.dashboard().workspace
            let segment = try await find(workspace, context)
            let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
            let after = QueryParameters(request: request).get("after", as: Int64.self) ?? 0
            let members = try await store.segmentMembers(segmentId: segment.id, afterProfileId: after, limit: 50)
            let model = DetailModel(
                key: segment.definition.key, name: segment.definition.name, description: segment.definition.description,
                count: DashboardFormat.count(segment.memberCount), computed: DashboardFormat.time(segment.computedAt, zone: zone),
                condition: segment.definition.condition.json.prettyJSONText, summary: segment.definition.condition.summary,
                members: members.map { p, entered in
                    Member(id: p.id, label: p.name ?? p.email ?? p.userId ?? "Anonymous #\(p.id)", email: p.email ?? "",
                           orders: DashboardFormat.count(p.orderCount), revenue: DashboardFormat.money(p.totalRevenue),
                           entered: DashboardFormat.time(entered, zone: zone))
                },
                next: members.count == 50 ? members.last.map { String($0.0.id) } : nil, readyMade: segment.definition.readyMade)
            return try DashboardView.render("segment", title: segment.definition.name, page: model, request: request, context: context)
        }
        group.get("segments/:key/edit") { request, context in
            try context.require(.marketer)
            let segment = try await find(try context.dashboard().workspace, context)
            return try await SegmentEditor(store: store).render(request, context, values: .init(segment), errors: [:])
        }
        group.post("segments/:key/edit") { request, context in
            try context.require(.marketer)
            let segment = try await find(try context.dashboard().workspace, context)
            return try await SegmentEditor(store: store).save(request, context, existing: segment)
        }
        group.get("segments/:key/export.csv") { _, context in
            let segment = try await find(try context.dashboard().workspace, context)
            return SegmentExport.response(store: store, segment: segment)
        }
        group.post("segments/:key/recompute") { _, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let segment = try await find(workspace, context)
            _ = try await store.recomputeAudience(workspaceId: workspace.id, onlySegments: [segment.definition.key])
            return DashboardResponse.redirect(to: "/segments/\(segment.definition.key)?notice=recomputed")
        }
        group.post("segments/:key/delete") { _, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let segment = try await find(workspace, context)
            try await store.deleteSegment(workspaceId: workspace.id, key: segment.definition.key)
            return DashboardResponse.redirect(to: "/segments?notice=deleted")
        }
    }

    struct Preview: Encodable {
        struct Person: Encodable { var id: Int64; var label: String }
        var count: Int
        var countText: String
        var sample: [Person]
    }

    private func find(_ workspace: Workspace, _ context: CicloRequestContext) async throws -> SegmentRecord {
        let key = try context.parameters.require("key")
        guard let segment = try await store.segment(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Segment \(key)") }
        return segment
    }

    static let listTemplate = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Segments</h1><p class="sub">Counts stay live as events arrive; a full reconcile runs every 15 minutes.</p></div>
        {{#chrome.canEdit}}<div class="actions"><a class="button" href="/segments/new">New segment</a></div>{{/chrome.canEdit}}</div>
        <section class="card"><table id="segments"><thead><tr><th>Segment</th><th>Description</th><th class="num">People</th><th>Computed</th></tr></thead><tbody>
        {{#segments}}<tr><td><a href="/segments/{{key}}">{{name}}</a>{{#readyMade}} <span class="badge">ready-made</span>{{/readyMade}}<div class="mono muted">{{key}}</div></td>
        <td>{{description}}</td><td class="num">{{count}}</td><td>{{computed}}</td></tr>{{/segments}}
        </tbody></table></section>
        {{/page}}{{/content}}{{/layout}}
        """

    static let detailTemplate = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>{{name}}</h1><p class="sub">{{description}}</p></div>
        <div class="actions">
        <a class="button secondary" href="/segments/{{key}}/export.csv">Export CSV</a>
        {{#chrome.canEdit}}
        <a class="button secondary" href="/segments/{{key}}/edit">Edit</a>
        <form method="post" action="/segments/{{key}}/recompute" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="secondary">Recompute</button></form>
        <form method="post" action="/segments/{{key}}/delete" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="danger" data-confirm="Delete this segment? Journeys and segments that use it stop matching.">Delete</button></form>
        {{/chrome.canEdit}}
        </div></div>
        <div class="grid two">
        <section class="card"><h2>Members</h2><p class="preview-count" id="member-count">{{count}}</p><p class="muted">Computed {{computed}}</p></section>
        <section class="card"><h2>Who belongs</h2><p id="segment-summary">{{summary}}</p><details><summary>As JSON</summary><pre>{{condition}}</pre></details></section>
        </div>
        <section class="card"><h2>People in this segment</h2>
        <table id="members"><thead><tr><th>Person</th><th>Email</th><th class="num">Orders</th><th class="num">Revenue</th><th>Entered</th></tr></thead><tbody>
        {{#members}}<tr><td><a href="/people/{{id}}">{{label}}</a></td><td>{{email}}</td><td class="num">{{orders}}</td><td class="num">{{revenue}}</td><td>{{entered}}</td></tr>{{/members}}
        </tbody></table>
        <div class="pager">{{#next}}<a href="/segments/{{key}}?after={{next}}">Next 50 →</a>{{/next}}</div>
        </section>
        {{/page}}{{/content}}{{/layout}}
        """
}
