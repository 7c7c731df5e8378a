import Foundation

/// What counts as something a person did, for retention and "the very next event" in strict funnels: every event except
/// Ciclo's own records (segment entries, stage changes, points, message outcomes) and the message-side events a sender
/// or provider reports about them (sent, delivered, bounced). Opens, clicks, replies and unsubscribes are the person's.
/// `Store.personActivity` compiles the same rule to SQL; `PersonActivityTests` holds the two together.
public enum PersonActivity {
    /// Message ids of events Ciclo writes itself.
    public static let derivedMessageIdPrefixes = ["ciclo:", "ciclo-delivery:"]

    /// Events about a message reaching a person, whoever reports them; the person did nothing.
    public static let messageSideEvents: [String] = [
        "Message Sent", "Email Sent", "Email Delivered", "Email Bounced", "Email Deferred", "SMS Sent", "SMS Delivered",
        "SMS Failed", "WhatsApp Message Sent", "WhatsApp Message Delivered", "Push Notification Sent",
        "Push Notification Delivered", "Push Notification Bounced",
    ]

    /// True when `event` is the person's own activity.
    public static func includes(_ event: Event) -> Bool {
        guard !event.isDerived, !derivedMessageIdPrefixes.contains(where: { event.messageId.hasPrefix($0) }) else { return false }
        return !(event.event.map(messageSideEvents.contains) ?? false)
    }
}
