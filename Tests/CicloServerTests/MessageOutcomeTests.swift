import CicloCore
import CicloEngine
import CicloServer
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 18, point 2: one record of what happened to a message, read by the journey, the message log and analytics.
@Suite("One message outcome: the journey, the message log and analytics agree")
struct MessageOutcomeTests {
    static let journey = #"""
        {"key": "two", "name": "Two channels", "trigger": {"event": "Signed Up"}, "entry": {"frequency": "always"}, "start": "mail",
         "steps": {"mail": {"type": "message", "channel": "email", "template": "hi-mail", "next": "text"},
                   "text": {"type": "message", "channel": "sms", "template": "hi-sms"}}}
        """#

    @Test("without SMTP or Twilio the journey is refused on activation, naming the settings; forced, its steps say failed and suppressed as the log does",
          arguments: TestDatabase.engines)
    func unconfigured(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            try await app.putJSON(client, "/api/v1/journeys/settings", #"{"caps":[],"controlShare":0}"#)
            try await app.putJSON(client, "/api/v1/templates/hi-mail", #"{"name":"Hi","channel":"email","parts":{"subject":"Hi","html":"<p>Hi</p>","text":"Hi"}}"#)
            try await app.putJSON(client, "/api/v1/templates/hi-sms", #"{"name":"Hi","channel":"sms","parts":{"text":"Hi"}}"#)
            try await client.execute(uri: "/api/v1/journeys", method: .post, headers: app.jsonHeaders, body: .text(Self.journey)) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/journeys/two/activate", method: .post, headers: app.adminHeaders) { r in
                #expect(r.status == .conflict && r.json["code"] == "channel_not_configured")
                let message = r.json["message"]?.stringValue ?? ""
                #expect(message.contains("CICLO_SMTP_URL") && message.contains("CICLO_TWILIO_FROM"), "\(message)")
            }
            try await client.execute(uri: "/api/v1/journeys/two/activate?force=true", method: .post, headers: app.adminHeaders) { #expect($0.status == .ok) }
            try await app.track(client, #"{"type":"identify","userId":"u1","traits":{"email":"u1@example.com","phone":"+393331234567"}}"#)
            try await app.track(client, #"{"type":"track","userId":"u1","event":"Signed Up"}"#)
            try await app.process()
            _ = try await app.environment.journeys.runDue()
            while try await app.environment.delivery.deliverDue() > 0 {}

            let steps = try await app.get(client, "/api/v1/journeys/two")["stats"]?["steps"]
            #expect(steps?["mail"]?["failed"] == 1 && steps?["text"]?["suppressed"] == 1, "\(steps ?? .null)")
            #expect(steps?["mail"]?["sent"] == nil && steps?["text"]?["sent"] == nil, "nothing says sent: \(steps ?? .null)")
            let log = try await app.get(client, "/api/v1/outbox")["messages"]?.arrayValue ?? []
            #expect(Set(log.compactMap { $0["status"]?.stringValue }) == ["failed", "suppressed"])
            #expect(log.contains { ($0["error"]?.stringValue ?? "").contains("no SMTP server is configured") })
            try await client.execute(uri: "/api/v1/analytics/rebuild", method: .post, headers: app.adminHeaders) { #expect($0.status == .ok) }
            let kpis = try await app.get(client, "/api/v1/analytics/kpis?by=journey")
            #expect((kpis.jsonText.contains("\"sends\":0") || !kpis.jsonText.contains("\"two\"")), "analytics counts no send either: \(kpis)")
        }
    }

    @Test("a journey on configured channels activates without force")
    func configured() async throws {
        var channels = ChannelSettings(publicURL: "http://localhost:8080")
        channels.smtp = SMTPConfiguration(host: "127.0.0.1", port: 9)
        channels.twilio = TwilioSettings(baseURL: "https://api.twilio.com", accountSid: "AC1", authToken: "t", smsFrom: "+15550001111", whatsappFrom: nil)
        try await TestApp.run(channels: channels) { app, client in
            try await app.putJSON(client, "/api/v1/templates/hi-mail", #"{"name":"Hi","channel":"email","parts":{"subject":"Hi","html":"<p>Hi</p>","text":"Hi"}}"#)
            try await app.putJSON(client, "/api/v1/templates/hi-sms", #"{"name":"Hi","channel":"sms","parts":{"text":"Hi"}}"#)
            try await client.execute(uri: "/api/v1/journeys", method: .post, headers: app.jsonHeaders, body: .text(Self.journey)) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/journeys/two/activate", method: .post, headers: app.adminHeaders) { #expect($0.status == .ok) }
        }
    }
}
