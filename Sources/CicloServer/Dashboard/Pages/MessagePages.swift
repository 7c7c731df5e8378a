import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// The message log: what was queued and sent, to whom, how delivery went and whether people engaged.
struct MessagePages {
    let store: Store

    struct Row {
        var id: Int64; var profileId: Int64; var channel: String; var template: String; var journey: String; var status: String
        var error: String; var attempts: Int; var at: String; var engagement: String; var canRetry: Bool
    }
    struct Filter { var value: String; var label: String; var selected: Bool }
    struct Model { var messages: [Row]; var filters: [Filter] }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("messages") { request, context in
            let workspace = try context.dashboard().workspace
            let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
            let status = QueryParameters(request: request).get("status").flatMap { Self.statuses.contains($0) ? $0 : nil }
            let messages = try await store.outboxMessages(workspaceId: workspace.id, profileId: nil, status: status, limit: 100)
            let ids = messages.compactMap { $0["id"]?.intValue }
            let oldest = messages.compactMap { $0["createdAt"]?.stringValue.flatMap(ISO8601.parse)?.epochMilliseconds }.min() ?? 0
            let engagement = try await store.messageEngagement(workspaceId: workspace.id, messageIds: ids, since: oldest)
            let rows = messages.map { m -> Row in
                let id = m["id"]?.intValue ?? 0
                let state = m["status"]?.stringValue ?? ""
                let when = (m["sentAt"]?.stringValue ?? m["createdAt"]?.stringValue).flatMap(ISO8601.parse)?.epochMilliseconds
                return Row(id: id, profileId: m["profileId"]?.intValue ?? 0, channel: m["channel"]?.stringValue ?? "",
                           template: m["template"]?.stringValue ?? "",
                           journey: [m["journey"]?.stringValue, m["step"]?.stringValue].compactMap { $0 }.joined(separator: " / "),
                           status: state, error: m["error"]?.stringValue ?? "", attempts: Int(m["attempts"]?.intValue ?? 0),
                           at: DashboardFormat.time(when, zone: zone),
                           engagement: (engagement[id] ?? []).sorted().map { $0.replacingOccurrences(of: "Email ", with: "") }.joined(separator: ", "),
                           canRetry: state == "failed" || state == "unknown")
            }
            let filters = [Filter(value: "", label: "All", selected: status == nil)]
                + Self.statuses.map { Filter(value: $0, label: $0.capitalized, selected: $0 == status) }
            return try DashboardView.render("messages", title: "Messages", page: Model(messages: rows, filters: filters), request: request, context: context)
        }
        group.post("messages/:id/retry") { _, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            guard let id = context.parameters.get("id", as: Int64.self) else { throw CicloError.notFound("Message") }
            try await store.retryDelivery(workspaceId: workspace.id, id: id)
            return DashboardResponse.redirect(to: "/messages?notice=retried")
        }
    }

    static let statuses = ["queued", "sending", "sent", "failed", "suppressed", "unknown"]

    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Messages</h1><p class="sub">The latest 100 messages. “Unknown” means Ciclo stopped while handing a message over; check with the provider before retrying.</p></div>
        <form method="get" action="/messages" class="actions"><label for="status" class="muted">Status</label>
        <select id="status" name="status" data-autosubmit>{{#filters}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters}}</select>
        <button type="submit" class="secondary small">Filter</button></form></div>
        <section class="card">{{#empty(messages)}}<p class="muted">No messages yet.</p>{{/empty(messages)}}
        <table id="messages"><thead><tr><th>When</th><th>Person</th><th>Channel</th><th>Template</th><th>Journey / step</th><th>Status</th><th>Engagement</th><th></th></tr></thead><tbody>
        {{#messages}}<tr><td>{{at}}</td><td><a href="/people/{{profileId}}">#{{profileId}}</a></td><td>{{channel}}</td><td><a href="/templates/{{template}}">{{template}}</a></td>
        <td>{{journey}}</td><td><span class="badge {{status}}">{{status}}</span>{{#error}}<div class="muted">{{error}}</div>{{/error}}</td><td>{{engagement}}</td>
        <td>{{#canRetry}}{{#chrome.canEdit}}<form method="post" action="/messages/{{id}}/retry" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <button type="submit" class="secondary small" data-confirm="Send this message again?">Retry</button></form>{{/chrome.canEdit}}{{/canRetry}}</td></tr>{{/messages}}
        </tbody></table></section>
        {{/page}}{{/content}}{{/layout}}
        """
}
