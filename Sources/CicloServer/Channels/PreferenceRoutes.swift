import CicloCore
import CicloEngine
import CicloStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The unsubscribe page (`/u/{token}`, with the RFC 8058 one-click POST) and the preference centre
/// (`/preferences/{token}`), reached by signed links: no login, and no way to change someone else's choices.
struct PreferenceRoutes {
    let environment: ServerEnvironment
    static let topics = [("email", "marketing", "News and offers by email"), ("email", "newsletter", "The monthly newsletter"),
                         ("sms", "*", "Text messages"), ("whatsapp", "*", "WhatsApp messages")]

    func register(on router: Router<CicloRequestContext>) {
        let store = environment.store
        router.get("u/:token") { _, context in
            guard let (_, payload) = try await verified(try context.parameters.require("token"), .unsubscribe) else { throw CicloError.notFound("Link") }
            let channel = payload["c"]?.stringValue ?? "email"
            return Self.page("Unsubscribe", """
                <p>Stop receiving \(Self.escape(channel)) messages like this one?</p>
                <form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>
                """)
        }
        router.post("u/:token") { _, context in
            let token = try context.parameters.require("token")
            guard let (workspace, payload) = try await verified(token, .unsubscribe), let profile = payload["p"]?.intValue else {
                throw CicloError.notFound("Link")
            }
            let channel = payload["c"]?.stringValue ?? "email"
            try await unsubscribe(workspace: workspace, profile: profile, channel: channel, topic: "*", source: "unsubscribe link",
                                  message: payload["m"]?.intValue)
            return Self.page("Unsubscribed", "<p>You will not get \(Self.escape(channel)) messages from \(Self.escape(workspace.name)) any more.</p>")
        }
        router.get("preferences/:token") { _, context in
            let token = try context.parameters.require("token")
            guard let (workspace, payload) = try await verified(token, .preferences), let profile = payload["p"]?.intValue else { throw CicloError.notFound("Link") }
            let consents = try await store.consents(workspaceId: workspace.id, profileId: profile)
            let boxes = Self.topics.enumerated().map { index, topic in
                let status = consents.first { $0.channel == topic.0 && ($0.topic == topic.1 || $0.topic == "*") }?.status
                let on = topic.0 == "email" ? status != "unsubscribed" : status == "subscribed"
                return "<p><label><input type=\"checkbox\" name=\"t\(index)\" value=\"on\"\(on ? " checked" : "")> \(topic.2)</label></p>"
            }.joined()
            return Self.page("Your preferences", "<form method=\"post\">\(boxes)<button type=\"submit\">Save</button></form>")
        }
        router.post("preferences/:token") { request, context in
            let token = try context.parameters.require("token")
            guard let (workspace, payload) = try await verified(token, .preferences), let profile = payload["p"]?.intValue else { throw CicloError.notFound("Link") }
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 64 * 1024))
            let chosen = Set(body.split(separator: "&").compactMap { $0.split(separator: "=").first.map(String.init) })
            for (index, topic) in Self.topics.enumerated() {
                let on = chosen.contains("t\(index)")
                if on {
                    try await store.setConsent(workspaceId: workspace.id, profileId: profile, channel: topic.0, topic: topic.1,
                                               status: "subscribed", source: "preference centre")
                } else {
                    try await unsubscribe(workspace: workspace, profile: profile, channel: topic.0, topic: topic.1, source: "preference centre", message: nil)
                }
            }
            return Self.page("Saved", "<p>Your preferences are saved.</p>")
        }
    }

    func verified(_ token: String, _ kind: LinkKind) async throws -> (Workspace, JSONValue)? {
        guard let ws = LinkSigner.unverifiedPayload(token)?["w"]?.intValue, let workspace = try await environment.store.workspaceIfAny(id: ws),
              let payload = LinkSigner.verify(token, kind: kind, secret: workspace.secret) else { return nil }
        return (workspace, payload)
    }

    /// Records the choice, suppresses the address for marketing, and puts `Unsubscribed` on the timeline.
    func unsubscribe(workspace: Workspace, profile: Int64, channel: String, topic: String, source: String, message: Int64?) async throws {
        let store = environment.store
        try await store.setConsent(workspaceId: workspace.id, profileId: profile, channel: channel, topic: topic, status: "unsubscribed", source: source)
        guard let contact = try await store.contact(workspaceId: workspace.id, profileId: profile) else { return }
        if topic == "*", let address = contact.identifiers.first(where: { $0.kind == (channel == "email" ? .email : .phone) })?.value {
            try await store.suppressAddress(workspaceId: workspace.id, channel: channel, address: address, reason: "unsubscribed")
        }
        var properties: [String: JSONValue] = ["channel": .string(channel), "topic": .string(topic), "source": .string(source)]
        if let message { properties["message_id"] = .int(message) }
        let now = environment.clock.now()
        if let event = Event.engagement("Unsubscribed", workspaceId: workspace.id, identifiers: contact.identifiers, properties: properties,
                                        at: now, messageId: "ciclo-unsubscribe:\(profile):\(channel):\(topic):\(now.epochMilliseconds)") {
            _ = try await environment.ingest.submit([event])
        }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func page(_ title: String, _ body: String) -> Response {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>\(title)</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
            button{background:#0b7285;color:#fff;border:0;padding:.6rem 1.2rem;border-radius:4px;font-size:1rem}</style></head>
            <body><h1>\(title)</h1>\(body)</body></html>
            """
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
