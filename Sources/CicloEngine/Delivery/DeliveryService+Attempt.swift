import CicloCore
import CicloStore
import Foundation
import SQLKit

extension DeliveryService {
    /// Checks, renders and sends one message.
    func attempt(_ d: Delivery) async throws -> (DeliveryResult, ComposedMessage?) {
        let workspace = try await store.workspace(id: d.workspaceId)
        guard let (profile, identifiers) = try await store.contact(workspaceId: d.workspaceId, profileId: d.profileId) else {
            return (.suppressed("the person was erased"), nil)
        }
        let now = clock.now()
        if d.channel == "webhook" {
            let result = await WebhookSender(policy: settings.egress, timeout: settings.webhookTimeout)
                .send(d, url: d.template, profile: profile, identifiers: identifiers, secret: workspace.secret, now: now)
            return (result, nil)
        }
        guard let template = try await store.messageTemplate(workspaceId: d.workspaceId, key: d.template) else {
            return (.failed("template \(d.template) does not exist", permanent: true), nil)
        }
        let address = d.channel == "email" ? profile.contactEmail(identifiers: identifiers) : profile.contactPhone(identifiers: identifiers)
        let consents = try await store.consents(workspaceId: d.workspaceId, profileId: profile.id)
        var suppression: String?
        if let address { suppression = try await store.suppression(workspaceId: d.workspaceId, channel: d.channel, address: address) }
        if let reason = ConsentPolicy.refusal(channel: d.channel, topic: template.topic, transactional: d.transactional, consents: consents,
                                              traits: profile.traits, suppression: suppression) {
            return (.suppressed(reason), nil)
        }
        if !d.transactional, let hold = try await sendTimeRules(d, profile: profile, now: now) { return (hold, nil) }
        // Surveys are throttled per person across channels; a throttled one is dropped, never queued for later.
        if template.topic == "nps", !(try await store.claimSurveySend(workspaceId: d.workspaceId, profileId: profile.id)) {
            return (.suppressed("survey throttled: at most one survey per person every 30 days"), nil)
        }
        // Only templates that show recommendations pay for computing them.
        var recommendations: JSONValue = [], similar: JSONValue = []
        if template.parts.values.contains(where: { $0.contains("recommendations") }) {
            let list = try await RecommendationService(store: store).recommend(workspaceId: d.workspaceId, profileId: profile.id, strategy: .personalised, k: 4)
            recommendations = .array(list.items.map { item in
                var o: [String: JSONValue] = ["product_id": .string(item.product.id), "strategy": .string(item.strategy)]
                if let n = item.product.name { o["name"] = .string(n) }
                if let p = item.product.price { o["price"] = .double(p) }
                if let c = item.product.category { o["category"] = .string(c) }
                return .object(o)
            })
        }
        // `similar`: products like the one the journey was triggered by (a viewed or abandoned product).
        if let seed = (d.payload["trigger"]?["product_id"] ?? d.payload["trigger"]?["products"]?.arrayValue?.first?["product_id"])?.scalarText,
           template.parts.values.contains(where: { $0.contains("similar") }) {
            let list = try await RecommendationService(store: store).recommend(workspaceId: d.workspaceId, profileId: nil, strategy: .similar, k: 4, seed: seed)
            similar = .array(list.items.map { ["product_id": .string($0.product.id), "name": $0.product.name.map { .string($0) } ?? .null,
                                               "price": $0.product.price.map { .double($0) } ?? .null, "strategy": .string($0.strategy)] })
        }
        var content: JSONValue = []
        if template.parts.values.contains(where: { $0.contains(" in content") || $0.contains("content[") || $0.contains("content.first") }) {
            content = .array(try await ContentAdvisor(store: store).next(workspaceId: d.workspaceId, profileId: profile.id).picks.map { $0.item.json })
        }
        let message = try composer.compose(d, template: template, profile: profile, identifiers: identifiers, workspace: workspace,
                                           recommendations: recommendations, content: content, similar: similar)
        switch d.channel {
        case "email":
            guard let address else { return (.suppressed("no email address"), message) }
            guard let mailer else { return (.failed("no SMTP server is configured (CICLO_SMTP_URL)", permanent: true), message) }
            let mime = MIMEMessage(from: settings.emailFrom, to: address, subject: message.parts["subject"] ?? "", text: message.parts["text"] ?? "",
                                   html: message.parts["html"] ?? "", messageId: "\(d.id).\(d.workspaceId)@\(settings.emailFrom.address.split(separator: "@").last ?? "ciclo")",
                                   date: now, unsubscribeURL: message.unsubscribeURL,
                                   extraHeaders: [("X-Ciclo-Message", String(d.id))])
            do {
                try await mailer.send(mime)
                return (.sent(providerId: mime.messageId), message)
            } catch let error as SMTPError {
                return (error.permanent ? .failed(error.description, permanent: true) : .retry(error.description), message)
            }
        case "sms", "whatsapp":
            guard let twilio = settings.twilio else { return (.failed("Twilio is not configured (CICLO_TWILIO_*)", permanent: true), message) }
            let sender = TwilioSender(settings: twilio, client: http, statusCallback: settings.publicURL + "/hooks/twilio/status")
            return (await sender.send(message, whatsapp: d.channel == "whatsapp"), message)
        case "push":
            return (await WebPushSender(store: store, policy: settings.egress, subject: settings.vapidSubject).send(message), message)
        case "onsite":
            let content: JSONValue = ["title": .string(message.parts["title"] ?? ""), "body": .string(message.parts["body"] ?? ""),
                                      "url": .string(message.parts["url"] ?? ""), "image": .string(message.parts["image"] ?? "")]
            try await store.addOnsiteMessage(workspaceId: d.workspaceId, profileId: profile.id, outboxId: d.id, content: content,
                                             placement: message.parts["placement"] ?? "banner", expiresAt: now.epochMilliseconds + 7 * 86_400_000)
            return (.sent(providerId: nil), message)
        default:
            return (.failed("unknown channel \(d.channel)", permanent: true), message)
        }
    }

    /// Caps and quiet hours, checked again now that the message is about to go.
    func sendTimeRules(_ d: Delivery, profile: Profile, now: Date) async throws -> (DeliveryResult)? {
        let rules = try await store.journeyRules(workspaceId: d.workspaceId)
        let ms = now.epochMilliseconds
        if let until = rules.quietUntil(now: ms, zone: profile.computed.timeZone ?? rules.defaultTimeZone) {
            return rules.quietHours?.hold == true ? .hold(until: until) : .suppressed("quiet hours")
        }
        for cap in rules.caps where cap.channel == d.channel {
            let sent = try await store.sentCount(workspaceId: d.workspaceId, profileId: profile.id, channel: d.channel,
                                                 since: ms - cap.window.milliseconds, excluding: d.id)
            if sent >= cap.limit { return .suppressed("frequency cap (\(cap.limit) per \(Int(saturating: cap.window.seconds / 3_600)) h)") }
        }
        return nil
    }
}
