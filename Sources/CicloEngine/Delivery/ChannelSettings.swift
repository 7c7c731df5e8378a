import CicloCore
import Foundation

/// How Ciclo reaches people, read once at start from the environment.
public struct ChannelSettings: Sendable {
    /// The public base URL links in messages point to (tracking, unsubscribe, preferences).
    public var publicURL: String
    public var smtp: SMTPConfiguration?
    public var emailFrom: (name: String?, address: String)
    public var twilio: TwilioSettings?
    /// The `sub` claim of VAPID tokens (a mailto: or https: contact for push services).
    public var vapidSubject: String
    /// Where journey webhook steps are signed from (the workspace secret) — and how long to wait for them.
    public var webhookTimeout: Duration
    /// Where push endpoints and webhooks may point (`CICLO_EGRESS_ALLOW` widens it beyond public https).
    public var egress = EgressPolicy()

    public init(publicURL: String, smtp: SMTPConfiguration? = nil, emailFrom: (name: String?, address: String) = ("Ciclo", "hello@ciclo.localhost"),
                twilio: TwilioSettings? = nil, vapidSubject: String = "mailto:admin@ciclo.localhost", webhookTimeout: Duration = .seconds(10)) {
        self.publicURL = publicURL
        self.smtp = smtp
        self.emailFrom = emailFrom
        self.twilio = twilio
        self.vapidSubject = vapidSubject
        self.webhookTimeout = webhookTimeout
    }

    /// Reads `CICLO_PUBLIC_URL`, `CICLO_SMTP_URL`, `CICLO_EMAIL_FROM`, `CICLO_TWILIO_*`, `CICLO_VAPID_SUBJECT`, `CICLO_EGRESS_ALLOW`.
    public static func fromEnvironment(_ env: [String: String], defaultPublicURL: String) throws -> ChannelSettings {
        var settings = ChannelSettings(publicURL: (env["CICLO_PUBLIC_URL"] ?? defaultPublicURL).trimmingCharacters(in: CharacterSet(charactersIn: "/")))
        if let url = env["CICLO_SMTP_URL"], !url.isEmpty { settings.smtp = try SMTPConfiguration(url: url) }
        if let from = env["CICLO_EMAIL_FROM"], !from.isEmpty {
            if let open = from.firstIndex(of: "<"), let close = from.firstIndex(of: ">") {
                settings.emailFrom = (String(from[..<open]).trimmingCharacters(in: .whitespaces), String(from[from.index(after: open)..<close]))
            } else {
                settings.emailFrom = (nil, from)
            }
        }
        if let sid = env["CICLO_TWILIO_ACCOUNT_SID"], let token = env["CICLO_TWILIO_AUTH_TOKEN"], !sid.isEmpty {
            settings.twilio = TwilioSettings(baseURL: env["CICLO_TWILIO_BASE_URL"] ?? "https://api.twilio.com", accountSid: sid, authToken: token,
                                             smsFrom: env["CICLO_TWILIO_FROM"], whatsappFrom: env["CICLO_TWILIO_WHATSAPP_FROM"])
        }
        if let subject = env["CICLO_VAPID_SUBJECT"] { settings.vapidSubject = subject }
        if let allow = env["CICLO_EGRESS_ALLOW"] { settings.egress = try EgressPolicy(allowlist: allow) }
        return settings
    }
}

/// Twilio (or a compatible provider) account settings.
public struct TwilioSettings: Sendable, Equatable {
    public var baseURL: String
    public var accountSid: String
    public var authToken: String
    public var smsFrom: String?
    public var whatsappFrom: String?

    public init(baseURL: String, accountSid: String, authToken: String, smsFrom: String?, whatsappFrom: String?) {
        (self.baseURL, self.accountSid, self.authToken, self.smsFrom, self.whatsappFrom) = (baseURL, accountSid, authToken, smsFrom, whatsappFrom)
    }
}
