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

extension RouteFuzzTests {
    /// A workspace with something of everything (people, a loyalty program, a journey, a template, a segment, content, a
    /// persona, dashboard users), another workspace, and the real keys, ids and documents the fuzzer mixes in.
    struct Fixture {
        var workspaceId: Int64
        var writeKey: String
        var adminToken: String
        var otherAdminToken: String
        var admin: DashboardUserSession
        var viewer: DashboardUserSession
        /// Real values for each route capture, by capture name.
        var values: [String: [String]]
        /// Valid documents by a piece of the route path they belong to.
        var documents: [String: JSONValue]
        /// Real values to put in dashboard form fields.
        var formValues: [String]

        static func make(_ app: TestApp, _ client: some TestClientProtocol) async throws -> Fixture {
            let program = #"{"pendingDays":0,"tiers":[{"key":"base","threshold":0},{"key":"gold","threshold":100}],"rewards":[{"key":"5off","name":"5 off","cost":10,"kind":"amount-off","value":5}]}"#
            try await app.putJSON(client, "/api/v1/loyalty/program", program)
            for i in 0..<6 {
                try await app.track(client, #"{"type":"identify","userId":"p\#(i)","anonymousId":"a\#(i)","traits":{"email":"p\#(i)@example.com","plan":"pro"}}"#)
                try await app.track(client, #"{"type":"track","userId":"p\#(i)","event":"Order Completed","properties":{"order_id":"o\#(i)","revenue":\#(20 * i + 5),"products":[{"product_id":"sku\#(i)","price":5}]}}"#)
            }
            try await app.process()
            let ws = try await app.workspaceId
            let people = try await app.store.profilePage(workspaceId: ws, afterId: 0, limit: 100).map { String($0.0.id) }
            let other = try await app.store.createWorkspace(named: "other")
            try await client.execute(uri: "/v1/identify", method: .post,
                                     headers: [.authorization: "Basic " + Data("\(other.writeKey):".utf8).base64EncodedString(), .contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"userId":"stranger"}"#)) { _ in }
            let otherId = try await app.store.workspace(named: "other").id
            try await app.environment.profiles.catchUp(workspaceId: otherId)
            let stranger = try await app.store.profilePage(workspaceId: otherId, afterId: 0, limit: 1).map { String($0.0.id) }

            let journey: JSONValue = try JSONValue.parse(#"""
                {"key":"cart","name":"Cart","trigger":{"event":"Product Added"},"entry":{"frequency":"always"},"start":"w",
                 "steps":{"w":{"type":"wait","duration":{"hours":1},"next":"m"},"m":{"type":"message","channel":"email","template":"welcome"}}}
                """#)
            let template: JSONValue = ["name": "Welcome", "channel": "email", "parts": ["subject": "Hi {{ profile.first_name | default: \"you\" }}",
                                                                                       "html": "<p>{{ traits.plan | default: \"x\" }}</p>", "text": "t"]]
            try await app.putJSON(client, "/api/v1/templates/welcome", template.jsonText)
            try await app.installJourney(client, journey.jsonText)
            let condition: JSONValue = ["trait": "plan", "op": "equals", "value": "pro"]
            let segment: JSONValue = ["key": "vips", "name": "VIPs", "condition": condition]
            try await app.postJSON(client, "/api/v1/segments", segment.jsonText) { _ in }
            let content: JSONValue = ["key": "guide", "title": "Guide", "format": "guide", "url": "https://shop.example.com/guide", "stages": ["convert"]]
            try await app.postJSON(client, "/api/v1/content", content.jsonText) { _ in }
            let admin = try await DashboardUserSession.start(app, role: .admin, email: "fuzz-admin@shop.example")
            let viewer = try await DashboardUserSession.start(app, role: .viewer, email: "fuzz-viewer@shop.example")

            let workspace = try await app.store.workspace(id: ws)
            let message = try await app.store.queueMessage(workspaceId: ws, profileId: Int64(people[0]) ?? 1, channel: "email", template: "welcome",
                                                           transactional: false, key: "fuzz-1", payload: [:]) ?? 1
            let p0 = Int64(people[0]) ?? 1
            let tokens = [
                LinkSigner.token(.unsubscribe, ["w": .int(ws), "p": .int(p0), "c": "email", "t": "marketing", "m": .int(message)], secret: workspace.secret),
                LinkSigner.token(.preferences, ["w": .int(ws), "p": .int(p0)], secret: workspace.secret),
                LinkSigner.token(.open, ["w": .int(ws), "m": .int(message)], secret: workspace.secret),
                LinkSigner.token(.click, ["w": .int(ws), "m": .int(message), "u": "https://shop.example.com/"], secret: workspace.secret),
                LinkSigner.token(.nps, ["w": .int(ws), "m": .int(message), "s": 9], secret: workspace.secret),
            ]
            let ids = people + stranger
            let batch: JSONValue = try JSONValue.parse(#"{"batch":[{"type":"track","userId":"p1","event":"Order Completed","properties":{"order_id":"x","revenue":5}}]}"#)
            return Fixture(
                workspaceId: ws, writeKey: app.credentials.writeKey, adminToken: app.credentials.adminToken, otherAdminToken: other.adminToken,
                admin: admin, viewer: viewer,
                values: ["key": ["cart", "welcome", "vips", "guide", "attract", "bargain"], "id": ids, "profile": ids, "token": tokens,
                         "entry": ["1"], "reward": ["5off"], "writeKey": [app.credentials.writeKey], "name": ["default", "web"],
                         "decision": ["approve", "reject"], "decision_": ["approve"]],
                documents: ["batch": batch, "import": batch, "track": batch["batch"]?.arrayValue?.first ?? [:], "identify": ["userId": "p1", "traits": ["plan": "x"]],
                            "journeys": journey, "enrol": ["profileIds": .array(ids.compactMap { Int64($0) }.map(JSONValue.int))],
                            "loyalty/program": try JSONValue.parse(program), "simulate": ["order": ["revenue": 10]], "adjustments": ["points": .int(5), "reason": "r"],
                            "redemptions": ["reward": "5off"], "segments": segment, "templates": template, "content": content,
                            "lifecycle": ["key": "m", "name": "M", "stages": [["key": "a", "name": "A", "condition": ["always": true]]]],
                            "personas": ["name": "Bargain", "condition": condition], "funnel": ["steps": [["event": "A"], ["event": "B"]]],
                            "retention": ["periods": 4], "messages": ["profileId": .int(p0), "template": "welcome"], "consents": ["channel": "email", "status": "subscribed"],
                            "subscribe": ["anonymousId": "a1", "subscription": ["endpoint": "https://fcm.googleapis.com/x", "keys": ["p256dh": "x", "auth": "y"]]],
                            "settings": ["caps": [["channel": "email", "limit": .int(1), "window": ["days": .int(7)]]]],
                            "refunds": ["orderId": "o1", "refundId": "r", "amount": .int(1)]],
                formValues: ["cart", "welcome", "vips", "email", "json", "preview", "{\"trait\":\"plan\",\"op\":\"exists\"}", "admin", "viewer"] + ids)
        }
    }
}
