import CicloCore
import CicloStore
import Foundation

/// A message rendered for one person, with its tracking links in place.
public struct ComposedMessage: Sendable {
    public var delivery: Delivery
    public var template: MessageTemplate
    public var parts: [String: String]
    public var unsubscribeURL: String
    public var profile: Profile
    public var identifiers: [Identifier]
}

/// Builds what a template sees (profile, traits, computed attributes, the triggering event, links) and renders it,
/// rewriting email links through signed click-tracking redirects with UTM parameters, and adding the open pixel.
public struct MessageComposer: Sendable {
    let publicURL: String

    public init(publicURL: String) { self.publicURL = publicURL }

    public func compose(_ delivery: Delivery, template: MessageTemplate, profile: Profile, identifiers: [Identifier],
                        workspace: Workspace, recommendations: JSONValue = [], content: JSONValue = [],
                        similar: JSONValue = []) throws -> ComposedMessage {
        let secret = workspace.secret
        let unsubscribe = publicURL + "/u/" + LinkSigner.token(.unsubscribe,
            ["w": .int(workspace.id), "p": .int(profile.id), "c": .string(template.channel), "t": .string(template.topic), "m": .int(delivery.id)],
            secret: secret)
        let preferences = publicURL + "/preferences/" + LinkSigner.token(.preferences, ["w": .int(workspace.id), "p": .int(profile.id)], secret: secret)
        var links: [String: JSONValue] = ["unsubscribe": .string(unsubscribe), "preferences": .string(preferences)]
        if template.topic == "nps" {
            // One signed link per score, 0 to 10: a click is the answer.
            links["nps"] = .array((0...10).map { score in
                ["score": .int(Int64(score)), "url": .string(publicURL + "/s/nps/" + LinkSigner.token(.nps, 
                    ["w": .int(workspace.id), "m": .int(delivery.id), "s": .int(Int64(score))], secret: secret))]
            })
        }
        var context = Self.context(profile: profile, identifiers: identifiers, trigger: delivery.payload["trigger"] ?? [:], workspace: workspace,
                                   links: links, messageId: delivery.id)
        if case .object(var o) = context {
            if recommendations != [] { o["recommendations"] = recommendations }
            if content != [] { o["content"] = content }
            if similar != [] { o["similar"] = similar }
            context = .object(o)
        }
        let zone = TimeZone(identifier: profile.computed.timeZone ?? workspace.timeZone) ?? .gmt
        var parts = try template.render(context, timeZone: zone)
        if template.channel == "email", let html = parts["html"] {
            parts["html"] = trackLinks(in: html, delivery: delivery, workspace: workspace, template: template)
        }
        return ComposedMessage(delivery: delivery, template: template, parts: parts, unsubscribeURL: unsubscribe, profile: profile,
                               identifiers: identifiers)
    }

    /// The render context of a person.
    public static func context(profile: Profile, identifiers: [Identifier], trigger: JSONValue, workspace: Workspace,
                               links: [String: JSONValue], messageId: Int64) -> JSONValue {
        var computed = profile.computed.json
        if case .object(var o) = computed {
            o.removeValue(forKey: "recentOrders")
            if let aov = profile.computed.averageOrderValue { o["averageOrderValue"] = .double(aov) }
            computed = .object(o)
        }
        var person: [String: JSONValue] = ["id": .int(profile.id)]
        func put(_ key: String, _ value: String?) { if let value { person[key] = .string(value) } }
        put("email", profile.contactEmail(identifiers: identifiers))
        put("user_id", identifiers.first { $0.kind == .userId }?.value)
        put("phone", profile.contactPhone(identifiers: identifiers))
        put("name", profile.displayName)
        put("first_name", profile.traits["first_name"]?.stringValue ?? profile.traits["firstName"]?.stringValue)
        put("last_name", profile.traits["last_name"]?.stringValue ?? profile.traits["lastName"]?.stringValue)
        put("stage", profile.lifecycle.stage)
        put("persona", profile.lifecycle.persona)
        put("time_zone", profile.computed.timeZone)
        put("locale", profile.computed.locale)
        return ["profile": .object(person), "traits": .object(profile.traits), "computed": computed, "event": trigger,
                "workspace": ["name": .string(workspace.name)], "links": .object(links), "message": ["id": .int(messageId)],
                "cart": computed["cart"] ?? [], "recommendations": [], "content": [], "predictions": profile.scores.json(profile), "loyalty": profile.loyalty.json]
    }

    /// Sends every http(s) link through a signed redirect that records the click, adds UTM parameters to the
    /// destination, and appends the open pixel. Unsubscribe and preference links stay direct.
    func trackLinks(in html: String, delivery: Delivery, workspace: Workspace, template: MessageTemplate) -> String {
        var out = ""
        var rest = Substring(html)
        while let start = rest.range(of: "href=\"") {
            out += rest[..<start.upperBound]
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let url = String(rest[..<end])
            rest = rest[end...]
            guard url.hasPrefix("http://") || url.hasPrefix("https://"), !url.hasPrefix(publicURL + "/u/"), !url.hasPrefix(publicURL + "/preferences/") else {
                out += url
                continue
            }
            let destination = Self.withUTM(url.replacingOccurrences(of: "&amp;", with: "&"), campaign: delivery.journeyKey ?? "message",
                                           content: template.key, medium: template.channel)
            out += publicURL + "/t/c/" + LinkSigner.token(.click, ["w": .int(workspace.id), "m": .int(delivery.id), "u": .string(destination)],
                                                          secret: workspace.secret)
        }
        out += rest
        let pixel = "<img src=\"\(publicURL)/t/o/\(LinkSigner.token(.open, ["w": .int(workspace.id), "m": .int(delivery.id)], secret: workspace.secret)).gif\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">"
        if let body = out.range(of: "</body>", options: .backwards) {
            out.insert(contentsOf: pixel, at: body.lowerBound)
        } else {
            out += pixel
        }
        return out
    }

    /// The URL with utm_source, utm_medium, utm_campaign and utm_content added where it has none of its own.
    static func withUTM(_ url: String, campaign: String, content: String, medium: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        var items = components.queryItems ?? []
        let existing = Set(items.map(\.name))
        for (name, value) in [("utm_source", "ciclo"), ("utm_medium", medium), ("utm_campaign", campaign), ("utm_content", content)]
        where !existing.contains(name) {
            items.append(URLQueryItem(name: name, value: value))
        }
        components.queryItems = items
        return components.string ?? url
    }
}
