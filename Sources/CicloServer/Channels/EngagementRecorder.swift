import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// Writes what people do with messages (opens, clicks, unsubscribes, delivery receipts) to the event log, tagged with
/// the message, journey, step and split arm, so analytics read one place.
struct EngagementRecorder: Sendable {
    let environment: ServerEnvironment

    /// Records `name` for the message's person; a fixed `key` makes a repeat (a second click) a no-op.
    func record(_ name: String, message d: Delivery, extra: [String: JSONValue] = [:], key: String? = nil) async throws {
        guard let contact = try await environment.store.contact(workspaceId: d.workspaceId, profileId: d.profileId) else { return }
        var properties: [String: JSONValue] = ["message_id": .int(d.id), "channel": .string(d.channel), "template": .string(d.template)]
        if let journey = d.journeyKey { properties["journey"] = .string(journey) }
        if let step = d.step { properties["step"] = .string(step) }
        if let arm = d.arm { properties["arm"] = .string(arm) }
        for (key, value) in extra { properties[key] = value }
        let now = environment.clock.now()
        guard let event = Event.engagement(name, workspaceId: d.workspaceId, identifiers: contact.identifiers, properties: properties,
                                           at: now, messageId: key ?? "ciclo-engagement:\(d.id):\(name):\(now.epochMilliseconds)") else { return }
        _ = try await environment.ingest.submit([event])
    }

    /// The message behind a signed token of `kind`, or nil when the token is forged, altered, of another kind or unknown.
    func message(forToken token: String, kind: LinkKind) async throws -> (Delivery, JSONValue)? {
        guard let payload = LinkSigner.unverifiedPayload(token), let ws = payload["w"]?.intValue,
              let workspace = try await environment.store.workspaceIfAny(id: ws),
              let verified = LinkSigner.verify(token, kind: kind, secret: workspace.secret),
              let id = verified["m"]?.intValue, let message = try await environment.store.outboxMessage(id: id),
              message.workspaceId == ws else { return nil }
        return (message, verified)
    }
}

extension Event {
    /// An engagement event named by the person's strongest identifier (so the profile processor files it).
    static func engagement(_ name: String, workspaceId: Int64, identifiers: [Identifier], properties: [String: JSONValue], at date: Date,
                           messageId: String) -> Event? {
        let user = identifiers.first { $0.kind == .userId }?.value
        let anonymous = identifiers.first { $0.kind == .anonymousId }?.value
        let email = identifiers.first { $0.kind == .email }?.value
        guard user != nil || anonymous != nil || email != nil else { return nil }
        var context: JSONValue = ["library": ["name": "ciclo-tracking"]]
        if user == nil && anonymous == nil, let email { context = ["library": ["name": "ciclo-tracking"], "traits": ["email": .string(email)]] }
        return Event(workspaceId: workspaceId, messageId: messageId, type: .track, event: name, userId: user,
                     anonymousId: user == nil ? (anonymous ?? email.map { "email:\($0)" }) : nil,
                     properties: .object(properties), context: context, timestamp: date, receivedAt: date)
    }
}
