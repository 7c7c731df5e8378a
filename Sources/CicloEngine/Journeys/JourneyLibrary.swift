import CicloCore
import CicloStore
import Foundation

/// Saving and activating journeys, one use case for the admin API, the dashboard and the CLI: a definition is checked
/// against what the server may actually do (every webhook URL against the egress policy) before a new version is
/// stored, and a journey whose messages go on a channel this server has no settings for is not activated unless the
/// caller insists, so "sent" never stands for "failed: no SMTP server".
public struct JourneyLibrary: Sendable {
    let store: Store
    let channels: ChannelSettings
    var egress: EgressPolicy { channels.egress }

    public init(store: Store, channels: ChannelSettings) {
        self.store = store
        self.channels = channels
    }

    /// The channels the journey sends on that this server cannot send on, each with the settings it needs.
    public func unconfiguredChannels(_ definition: JourneyDefinition) -> [(channel: String, needs: String)] {
        var used = Set<String>()
        for step in definition.steps.values { if case .message(let channel, _, _) = step.action { used.insert(channel) } }
        return used.sorted().compactMap { channel in
            switch channel {
            case "email" where channels.smtp == nil: (channel, "CICLO_SMTP_URL and CICLO_EMAIL_FROM")
            case "sms" where channels.twilio?.smsFrom == nil: (channel, "CICLO_TWILIO_ACCOUNT_SID, CICLO_TWILIO_AUTH_TOKEN and CICLO_TWILIO_FROM")
            case "whatsapp" where channels.twilio?.whatsappFrom == nil:
                (channel, "CICLO_TWILIO_ACCOUNT_SID, CICLO_TWILIO_AUTH_TOKEN and CICLO_TWILIO_WHATSAPP_FROM")
            default: nil
            }
        }
    }

    /// Activates a journey; refuses (409 `channel_not_configured`, naming the settings) when it sends on a channel this
    /// server is not set up for, unless `force` says to queue those messages anyway (they fail with the reason).
    public func activate(workspaceId: Int64, key: String, force: Bool = false) async throws {
        guard let journey = try await store.journey(workspaceId: workspaceId, key: key) else { throw CicloError.notFound("Journey \(key)") }
        let missing = unconfiguredChannels(journey.definition)
        if !missing.isEmpty && !force {
            throw CicloError.conflict("channel_not_configured", "Journey \(key) sends " + missing.map { "\($0.channel), which needs \($0.needs)" }
                .joined(separator: "; ") + ". Set them and restart, or activate anyway (force) to have those messages fail with that reason.")
        }
        try await store.setJourneyStatus(workspaceId: workspaceId, key: key, .active)
    }

    /// Checks `definition` and stores it as the journey's next version.
    @discardableResult
    public func save(workspaceId: Int64, _ definition: JourneyDefinition) async throws -> JourneyRecord {
        for (name, step) in definition.steps.sorted(by: { $0.key < $1.key }) {
            if case .webhook(let url, _) = step.action, let reason = egress.refusal(url) {
                throw CicloError.badRequest("invalid_journey", "steps.\(name): the webhook URL is refused: \(reason).")
            }
        }
        return try await store.saveJourney(workspaceId: workspaceId, definition)
    }
}
