import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// People: search, and the 360° profile with its timeline.
struct PeoplePages {
    let store: Store

    struct PersonRow { var id: Int64; var label: String; var email: String; var userId: String; var orders: String; var revenue: String; var lastSeen: String }
    struct ListModel { var query: String; var people: [PersonRow]; var searched: Bool; var total: String }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("people") { request, context in
            let workspace = try context.dashboard().workspace
            let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
            let query = (QueryParameters(request: request).get("q") ?? "").trimmingCharacters(in: .whitespaces)
            guard query.count <= 200 else { throw CicloError.badRequest("invalid_query", "Search for at most 200 characters.") }
            if let id = Int64(query), try await store.survivingProfileId(workspaceId: workspace.id, id: id) != nil {
                return DashboardResponse.redirect(to: "/people/\(id)")
            }
            let found = try await store.findProfiles(workspaceId: workspace.id, text: query.isEmpty ? nil : query, limit: 50)
            let rows = found.map {
                PersonRow(id: $0.id, label: $0.name ?? $0.email ?? $0.userId ?? "Anonymous #\($0.id)", email: $0.email ?? "",
                          userId: $0.userId ?? "", orders: DashboardFormat.count($0.orderCount), revenue: DashboardFormat.money($0.totalRevenue),
                          lastSeen: DashboardFormat.time($0.lastSeen, zone: zone))
            }
            let total = try await store.profileCount(workspaceId: workspace.id)
            return try DashboardView.render("people", title: "People", page: ListModel(query: query, people: rows, searched: !query.isEmpty,
                                                                                      total: DashboardFormat.count(total)),
                                            request: request, context: context)
        }
        group.get("people/:id") { request, context in
            let workspace = try context.dashboard().workspace
            guard let id = context.parameters.get("id", as: Int64.self) else { throw CicloError.notFound("Person") }
            guard let detail = try await store.profileDetail(workspaceId: workspace.id, id: id) else { throw CicloError.notFound("Person \(id)") }
            if detail.profile.id != id { return DashboardResponse.redirect(to: "/people/\(detail.profile.id)") }
            var after: EventCursor?
            if let text = QueryParameters(request: request).get("after") {
                guard let cursor = EventCursor(text) else { throw CicloError.badRequest("invalid_parameter", "That page link is broken.") }
                after = cursor
            }
            let model = try await ProfileModel.build(detail, store: store, workspace: workspace, after: after)
            return try DashboardView.render("person", title: model.name, page: model, request: request, context: context)
        }
    }

    static let listTemplate = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>People</h1><p class="sub">{{total}} people. Search by email, user id or name (prefix), or a profile number.</p></div></div>
        <form method="get" action="/people" class="search" role="search">
        <label for="q" class="visually-hidden">Search people</label>
        <input type="search" id="q" name="q" value="{{query}}" placeholder="ada@example.com, user id, or name" autofocus>
        <button type="submit">Search</button>
        </form>
        <section class="card">
        <h2>{{#searched}}Matches for “{{query}}”{{/searched}}{{^searched}}Recently active{{/searched}}</h2>
        {{#empty(people)}}<p class="muted">No one matches.</p>{{/empty(people)}}
        <table id="people"><thead><tr><th>Person</th><th>Email</th><th>User id</th><th class="num">Orders</th><th class="num">Revenue</th><th>Last seen</th></tr></thead>
        <tbody>{{#people}}<tr><td><a href="/people/{{id}}">{{label}}</a></td><td>{{email}}</td><td class="mono">{{userId}}</td>
        <td class="num">{{orders}}</td><td class="num">{{revenue}}</td><td>{{lastSeen}}</td></tr>{{/people}}</tbody></table>
        </section>
        {{/page}}{{/content}}{{/layout}}
        """
}

extension PeoplePages {
    static let profileTemplate = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1 id="person-name">{{name}}</h1>
        <p class="sub">Profile #{{id}} · stage <span class="badge" id="person-stage">{{stage}}</span> · persona <span class="badge">{{persona}}</span> · RFM {{rfm}}</p></div>
        <div class="actions"><a class="button secondary" href="/people">Back to search</a></div></div>
        <div class="grid two">
        <section class="card"><h2>At a glance</h2><dl class="facts">{{#facts}}<dt>{{key}}</dt><dd>{{value}}</dd>{{/facts}}</dl>
        <h3>Predictions</h3>{{#empty(predictions)}}<p class="muted">Not scored yet.</p>{{/empty(predictions)}}
        <dl class="facts" id="predictions">{{#predictions}}<dt>{{key}}</dt><dd>{{value}}</dd>{{/predictions}}</dl></section>
        <section class="card"><h2>Identities</h2><dl class="facts">{{#identities}}<dt>{{key}}</dt><dd class="mono">{{value}}</dd>{{/identities}}</dl>
        <h3>Segments</h3>{{#empty(segments)}}<p class="muted">In no segment.</p>{{/empty(segments)}}
        <p>{{#segments}}<a class="badge" href="/segments/{{.}}">{{.}}</a> {{/segments}}</p>
        <h3>Consent</h3>{{#empty(consents)}}<p class="muted">Defaults: email marketing allowed until unsubscribed; SMS and WhatsApp need an opt-in.</p>{{/empty(consents)}}
        <ul>{{#consents}}<li>{{channel}} · {{topic}}: <span class="badge {{status}}">{{status}}</span> <span class="muted">({{source}})</span></li>{{/consents}}</ul>
        </section>
        </div>
        <div class="grid two">
        <section class="card"><h2>Traits</h2>{{#empty(traits)}}<p class="muted">No traits yet.</p>{{/empty(traits)}}
        <dl class="facts">{{#traits}}<dt>{{key}}</dt><dd class="mono">{{value}}</dd>{{/traits}}</dl></section>
        <section class="card"><h2>Computed attributes</h2><dl class="facts">{{#computed}}<dt>{{key}}</dt><dd class="mono">{{value}}</dd>{{/computed}}</dl></section>
        </div>
        <div class="grid two">
        <section class="card"><h2>Stage history</h2>
        <table><thead><tr><th>Stage</th><th>Entered</th><th>Left</th></tr></thead><tbody>
        {{#stays}}<tr><td>{{stage}}</td><td>{{entered}}</td><td>{{exited}}</td></tr>{{/stays}}</tbody></table></section>
        <section class="card"><h2>Messages</h2>{{#empty(messages)}}<p class="muted">No messages yet.</p>{{/empty(messages)}}
        {{^empty(messages)}}<table><thead><tr><th>Template</th><th>Channel</th><th>Journey</th><th>Status</th><th>When</th></tr></thead><tbody>
        {{#messages}}<tr><td>{{template}}</td><td>{{channel}}</td><td>{{journey}}</td><td><span class="badge {{status}}">{{status}}</span></td><td>{{at}}</td></tr>{{/messages}}
        </tbody></table>{{/empty(messages)}}</section>
        </div>
        <section class="card"><h2>Timeline</h2>
        <ol class="timeline" id="timeline">{{#timeline}}<li><span class="when">{{at}}</span><span><strong>{{name}}</strong><div class="props mono">{{properties}}</div></span></li>{{/timeline}}</ol>
        <div class="pager">{{#nextPage}}<a href="/people/{{id}}?after={{nextPage}}">Older events →</a>{{/nextPage}}</div>
        </section>
        {{/page}}{{/content}}{{/layout}}
        """
}
