import CicloCore
import CicloStore
import Foundation
import Metrics

extension DeliveryService {
    /// Stores the outcome and records it on the person's timeline.
    func record(_ d: Delivery, _ outcome: (DeliveryResult, ComposedMessage?)) async throws {
        try await record(d, outcome.0, identifiers: outcome.1?.identifiers)
    }

    func record(_ d: Delivery, _ result: DeliveryResult, identifiers known: [Identifier]? = nil) async throws {
        let now = clock.now()
        var events: [(String, [String: JSONValue])] = []
        var base: [String: JSONValue] = ["message_id": .int(d.id), "channel": .string(d.channel), "template": .string(d.template)]
        if let journey = d.journeyKey { base["journey"] = .string(journey) }
        if let step = d.step { base["step"] = .string(step) }
        if let arm = d.arm { base["arm"] = .string(arm) }
        switch result {
        case .sent(let providerId):
            try await store.finishDelivery(d.id, status: "sent", providerId: providerId)
            Counter(label: "ciclo_messages_sent_total", dimensions: [("channel", d.channel)]).increment()
            events.append(("Message Sent", base))
            if d.channel == "email" { events.append(("Email Delivered", base)) }
        case .hold(let until):
            try await store.finishDelivery(d.id, status: "queued", error: "held for quiet hours", retryAt: until)
        case .retry(let reason) where d.attempts < maxAttempts:
            // Exponential backoff: 30 s, 1, 2, 4, 8 minutes...
            let delay = Int64(30_000) << Int64(max(0, d.attempts - 1))
            try await store.finishDelivery(d.id, status: "queued", error: reason, retryAt: now.epochMilliseconds + delay)
        case .retry(let reason), .failed(let reason, _):
            try await store.finishDelivery(d.id, status: "failed", error: reason)
            Counter(label: "ciclo_messages_failed_total", dimensions: [("channel", d.channel)]).increment()
            var properties = base
            properties["reason"] = .string(reason)
            if case .failed(_, true) = result, d.channel == "email", reason.hasPrefix("5") {
                events.append(("Email Bounced", properties))
                if let contact = try await store.contact(workspaceId: d.workspaceId, profileId: d.profileId),
                   let email = contact.identifiers.first(where: { $0.kind == .email })?.value {
                    try await store.suppressAddress(workspaceId: d.workspaceId, channel: "email", address: email, reason: "hard bounce")
                }
            }
            events.append(("Message Failed", properties))
        case .suppressed(let reason):
            try await store.finishDelivery(d.id, status: "suppressed", error: reason)
            var properties = base
            properties["reason"] = .string(reason)
            events.append(("Message Suppressed", properties))
        }
        guard !events.isEmpty else { return }
        let identifiers: [Identifier]
        if let known { identifiers = known } else { identifiers = try await store.contact(workspaceId: d.workspaceId, profileId: d.profileId)?.identifiers ?? [] }
        let stamped = events.enumerated().compactMap { index, pair in
            Event.about(pair.0, workspaceId: d.workspaceId, identifiers: identifiers, properties: pair.1, at: now,
                        messageId: "ciclo-delivery:\(d.id):\(d.attempts):\(index)")
        }
        try await store.appendEvents(stamped)
    }
}
