import CicloCore
import CicloStore
import Foundation

/// Honours `Unsubscribed` events from any source (an ESP's webhook relayed through the tracking API, a form):
/// records the choice and suppresses the address, inside the profile batch's transaction.
public struct ConsentEvents: Sendable {
    public init() {}

    public var hook: ProfileProcessor.BatchHook {
        { result, session in
            for event in result.events where event.event == "Unsubscribed" && !event.isDerived {
                guard let profile = event.profileId, let person = result.profiles[profile] else { continue }
                let channel = event.properties["channel"]?.stringValue ?? "email"
                let topic = event.properties["topic"]?.stringValue ?? "*"
                try await Store.setConsent(in: session, workspaceId: result.workspaceId, profileId: profile, channel: channel, topic: topic,
                                           status: "unsubscribed", source: event.properties["source"]?.stringValue ?? "event",
                                           now: event.timestamp.epochMilliseconds)
                if topic == "*", channel == "email", let email = person.email {
                    try await Store.suppress(in: session, workspaceId: result.workspaceId, channel: "email", address: email,
                                             reason: "unsubscribed", now: event.timestamp.epochMilliseconds)
                }
            }
        }
    }
}
