import CicloCore
import CicloStore
import Foundation

/// Who may be sent what: marketing email is opt-out, SMS and WhatsApp are opt-in, transactional messages ignore
/// marketing choices but never go to an address that bounced or complained.
enum ConsentPolicy {
    /// nil when sending is allowed, else the reason it is not.
    static func refusal(channel: String, topic: String, transactional: Bool, consents: [ConsentRecord], traits: [String: JSONValue],
                        suppression: String?) -> String? {
        if let suppression {
            let marketingOnly = suppression == "unsubscribed"
            if !(transactional && marketingOnly) { return "address suppressed (\(suppression))" }
        }
        if transactional || topic == "transactional" { return nil }
        func status(_ t: String) -> String? { consents.first { $0.channel == channel && $0.topic == t }?.status }
        switch channel {
        case "email":
            if status("*") == "unsubscribed" || status(topic) == "unsubscribed" { return "unsubscribed" }
            return nil
        case "sms", "whatsapp":
            if status("*") == "unsubscribed" || status(topic) == "unsubscribed" { return "unsubscribed" }
            let optedIn = status("*") == "subscribed" || status(topic) == "subscribed" || traits["\(channel)_opt_in"]?.boolValue == true
            return optedIn ? nil : "no \(channel) opt-in"
        default:
            return nil
        }
    }
}

extension Event {
    /// An event about a person that the profile processor can resolve: named by their strongest identifier.
    static func about(_ name: String, workspaceId: Int64, identifiers: [Identifier], properties: [String: JSONValue], at date: Date,
                      messageId: String) -> Event? {
        let user = identifiers.first { $0.kind == .userId }?.value
        let anonymous = user == nil ? identifiers.first { $0.kind == .anonymousId }?.value : nil
        let email = identifiers.first { $0.kind == .email }?.value
        guard user != nil || anonymous != nil || email != nil else { return nil }
        var context: JSONValue = ["library": ["name": "ciclo-delivery"]]
        if user == nil && anonymous == nil, let email { context = ["library": ["name": "ciclo-delivery"], "traits": ["email": .string(email)]] }
        return Event(workspaceId: workspaceId, messageId: messageId, type: .track, event: name, userId: user,
                     anonymousId: anonymous ?? (user == nil && email != nil ? "email:\(email!)" : nil),
                     properties: .object(properties), context: context, timestamp: date, receivedAt: date)
    }
}
