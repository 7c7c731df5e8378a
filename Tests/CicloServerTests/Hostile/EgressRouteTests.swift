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

/// Issue 17, case 6: push endpoints and webhooks go only to public https addresses unless the operator allows more.
@Suite("Egress: the server calls no private address on data it was given")
struct EgressRouteTests {
    static let keys = #""keys":{"p256dh":"BF9dIaRJBfYJiSPtKyDdBylCTm9T28aP-vsS0YJfn6nHgA6kCpCxRkLstI9e89pRmQDoC9v2ignG3Ez03mW9NCU","auth":"AAECAwQFBgcICQoLDA0ODw"}"#

    @Test("push subscribe refuses loopback, private, link-local and plain-http endpoints with 400", arguments: [
        "http://127.0.0.1:9/anything", "https://127.0.0.1/x", "https://localhost/x", "https://10.1.2.3/x", "https://169.254.169.254/latest/meta-data",
        "https://[::1]/x", "https://[::ffff:127.0.0.1]/x", "https://[fd00::1]/x", "http://push.example.com/x", "https://user:pw@push.example.com/x",
        "ftp://push.example.com/x", "https://intranet/x", "https://0.0.0.0/x", "https://2130706433/x",
    ])
    func subscribe(endpoint: String) async throws {
        try await TestApp.run { app, client in
            try await app.track(client, #"{"type":"identify","anonymousId":"browser-1"}"#)
            try await app.process()
            try await client.execute(uri: "/v1/push/subscribe", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"anonymousId":"browser-1","subscription":{"endpoint":"\#(endpoint)",\#(Self.keys)}}"#)) {
                #expect($0.status == .badRequest, "\(endpoint): \($0.status) \($0.json)")
            }
        }
    }

    @Test("a public https push endpoint is accepted; an allowlisted loopback one too")
    func allowed() async throws {
        try await TestApp.run { app, client in
            try await app.track(client, #"{"type":"identify","anonymousId":"browser-1"}"#)
            try await app.process()
            try await client.execute(uri: "/v1/push/subscribe", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"anonymousId":"browser-1","subscription":{"endpoint":"https://fcm.googleapis.com/fcm/send/abc",\#(Self.keys)}}"#)) {
                #expect($0.status == .ok, "\($0.json)")
            }
        }
        var channels = ChannelSettings(publicURL: "http://localhost:8080")
        channels.egress = try EgressPolicy(allowlist: "127.0.0.1")
        try await TestApp.run(channels: channels) { app, client in
            try await app.track(client, #"{"type":"identify","anonymousId":"browser-1"}"#)
            try await app.process()
            try await client.execute(uri: "/v1/push/subscribe", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"anonymousId":"browser-1","subscription":{"endpoint":"http://127.0.0.1:9/push",\#(Self.keys)}}"#)) {
                #expect($0.status == .ok, "\($0.json)")
            }
        }
    }

    @Test("a journey webhook to loopback is refused by the policy before any connection, and says so in the message log")
    func webhook() async throws {
        let journey = #"""
            {"key": "hook", "name": "Hook", "trigger": {"api": true}, "entry": {"frequency": "always"}, "start": "call",
             "steps": {"call": {"type": "webhook", "url": "http://127.0.0.1:1/metadata"}}}
            """#
        for allow in [nil, "127.0.0.1"] {
            var channels = ChannelSettings(publicURL: "http://localhost:8080")
            if let allow { channels.egress = try EgressPolicy(allowlist: allow) }
            try await TestApp.run(channels: channels) { app, client in
                try await app.track(client, #"{"type":"identify","userId":"u1"}"#)
                try await app.process()
                let id = try await app.profileId(client, "userId=u1")
                if allow == nil {
                    // Refused when saved, with the step named...
                    try await client.execute(uri: "/api/v1/journeys", method: .post, headers: app.adminHeaders, body: .text(journey)) {
                        #expect($0.status == .badRequest && ($0.json["message"]?.stringValue ?? "").contains("steps.call"), "\($0.json)")
                    }
                    // ...and at delivery, for a journey stored before (or under a wider policy than now).
                    let ws = try await app.workspaceId
                    try await app.store.saveJourney(workspaceId: ws, try JourneyDefinition.parse(try JSONValue.parse(journey)))
                    try await client.execute(uri: "/api/v1/journeys/hook/activate", method: .post, headers: app.adminHeaders) { #expect($0.status == .ok) }
                } else {
                    try await app.installJourney(client, journey)
                }
                try await app.postJSON(client, "/api/v1/journeys/hook/enrol", #"{"profileIds":[\#(id)]}"#) { #expect($0.status == .ok) }
                _ = try await app.environment.journeys.runDue()
                _ = try await app.environment.delivery.deliverDue()
                let message = try #require(try await app.get(client, "/api/v1/outbox?profileId=\(id)")["messages"]?.arrayValue?.first)
                let error = message["error"]?.stringValue ?? ""
                if allow == nil {
                    #expect(message["status"] == "failed" && error.contains("egress policy"), "\(message)")
                } else {
                    #expect(!error.contains("egress policy"), "allowed, so the connection itself failed: \(message)")
                }
            }
        }
    }
}
