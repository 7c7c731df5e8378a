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

/// Journeys end to end: triggers from tracked events, the scheduler with an injected clock, the outbox, goals, merges.
@Suite("Journey engine")
struct JourneyEngineTests {
    static let start = ISO8601.parse("2026-05-04T10:00:00Z")!
    static let cart = #"""
        {"key": "cart", "name": "Cart", "trigger": {"event": "Product Added"}, "entry": {"frequency": "always"},
         "goal": {"event": "Order Completed", "keyedBy": "cart_id"}, "start": "wait",
         "steps": {"wait": {"type": "waitForEvent", "event": "Order Completed", "matchTrigger": "cart_id", "timeout": {"hours": 1},
                            "onTimeout": "email"},
                   "email": {"type": "message", "channel": "email", "template": "cart-email", "next": "later"},
                   "later": {"type": "wait", "duration": {"days": 2}, "next": "again"},
                   "again": {"type": "message", "channel": "email", "template": "cart-email"}}}
        """#

    @Test("abandoned cart: enrol on the add, email after an hour, convert on the order with the same cart",
          arguments: TestDatabase.engines)
    func abandonedCart(engine: Dialect) async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.run(engine, clock: clock) { app, client in
            try await app.installJourney(client, Self.cart)
            try await app.track(client, #"{"type":"track","userId":"a","event":"Product Added","properties":{"cart_id":"c1","product_id":"p"}}"#)
            try await app.track(client, #"{"type":"track","userId":"b","event":"Product Added","properties":{"cart_id":"c2","product_id":"p"}}"#)
            try await app.process()
            try await app.track(client, #"{"type":"track","userId":"b","event":"Order Completed","properties":{"cart_id":"c2","revenue":80}}"#)
            try await app.process()

            clock.advance(by: 3_601)
            _ = try await app.environment.journeys.runDue()
            _ = try await app.environment.journeys.runDue()
            var outbox = try await app.get(client, "/api/v1/outbox")["messages"]?.arrayValue ?? []
            #expect(outbox.count == 1, "only the abandoner gets the email, once")
            #expect(outbox.first?["template"] == "cart-email" && outbox.first?["step"] == "email" && outbox.first?["journey"] == "cart")

            try await app.track(client, #"{"type":"track","userId":"a","event":"Order Completed","properties":{"cart_id":"c1","revenue":45.5}}"#)
            try await app.process()
            clock.advance(by: 3 * 86_400)
            _ = try await app.environment.journeys.runDue()
            outbox = try await app.get(client, "/api/v1/outbox")["messages"]?.arrayValue ?? []
            #expect(outbox.count == 1, "the converted enrolment sends no second email")

            let journey = try await app.get(client, "/api/v1/journeys/cart")
            #expect(journey["stats"]?["entered"] == 2 && journey["stats"]?["converted"] == 2)
            #expect(journey["stats"]?["revenue"] == 125.5)
            #expect(journey["stats"]?["steps"]?["email"]?["queued"] == 1 && journey["stats"]?["steps"]?["email"]?["sent"] == nil,
                    "queued, not sent: nothing has been delivered")
            #expect(journey["stats"]?["steps"]?["wait"]?["timed_out"] == 1)
        }
    }

    @Test("entry rules, one active enrolment per person, pausing, and versions", arguments: TestDatabase.engines)
    func rules(engine: Dialect) async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.run(engine, clock: clock) { app, client in
            let once = Self.cart.replacingOccurrences(of: #""frequency": "always""#, with: #""frequency": "once""#)
            try await app.installJourney(client, once)
            for cart in ["x1", "x2", "x3"] {
                try await app.track(client, #"{"type":"track","userId":"u","event":"Product Added","properties":{"cart_id":"\#(cart)"}}"#)
                try await app.process()
            }
            #expect(try await app.get(client, "/api/v1/journeys/cart")["stats"]?["entered"] == 1)

            try await client.execute(uri: "/api/v1/journeys/cart/pause", method: .post, headers: app.adminHeaders) { #expect($0.status == .ok) }
            clock.advance(by: 2 * 3_600)
            #expect(try await app.environment.journeys.runDue() == 0, "a paused journey holds its enrolments")
            try await client.execute(uri: "/api/v1/journeys/cart/activate?force=true", method: .post, headers: app.adminHeaders) { #expect($0.status == .ok) }
            #expect(try await app.environment.journeys.runDue() == 1)

            let v2 = once.replacingOccurrences(of: #""timeout": {"hours": 1}"#, with: #""timeout": {"hours": 5}"#)
            try await client.execute(uri: "/api/v1/journeys/cart", method: .put, headers: app.adminHeaders, body: .text(v2)) {
                #expect($0.json["version"] == 2)
            }
            try await client.execute(uri: "/api/v1/journeys/cart/archive", method: .post, headers: app.adminHeaders) { _ in }
            try await client.execute(uri: "/api/v1/journeys/cart/activate?force=true", method: .post, headers: app.adminHeaders) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/api/v1/journeys", method: .post, headers: app.adminHeaders, body: .text(#"{"key":"bad"}"#)) { response in
                #expect(response.status == .badRequest && response.json["code"] == "invalid_journey")
            }
        }
    }

    @Test("enrolments follow a merge: the person ends with one, the one further along", arguments: TestDatabase.engines)
    func merges(engine: Dialect) async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.run(engine, clock: clock) { app, client in
            try await app.installJourney(client, Self.cart)
            try await app.track(client, #"{"type":"track","userId":"known","event":"Product Added","properties":{"cart_id":"k"}}"#)
            try await app.process()
            clock.advance(by: 3_601)
            _ = try await app.environment.journeys.runDue()  // known is now further along (emailed, waiting 2 days)
            try await app.track(client, #"{"type":"track","anonymousId":"phone","event":"Product Added","properties":{"cart_id":"p"}}"#)
            try await app.process()
            try await app.track(client, #"{"type":"identify","userId":"known","anonymousId":"phone"}"#)
            try await app.process()

            let survivor = try await app.profileId(client, "userId=known")
            let active = try await app.store.database.read { session in
                try await Store.activeEnrolments(in: session, workspaceId: try await app.workspaceId, profileIds: [survivor])
            }
            #expect(active.count == 1)
            #expect(active.first?.step == "later", "the enrolment that had already emailed carries on")
        }
    }

    @Test("a segment entry triggers a journey; the dry run replays history without sending")
    func segmentTriggerAndDryRun() async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.run(.sqlite, clock: clock) { app, client in
            let journey = #"""
                {"key":"vip-welcome","name":"VIP welcome","trigger":{"segmentEntered":"repeat-customers"},"start":"m",
                 "steps":{"m":{"type":"message","channel":"email","template":"vip-upsell"}}}
                """#
            try await app.installJourney(client, journey)
            for n in 1...2 {
                try await app.track(client, #"{"type":"track","userId":"r","event":"Order Completed","properties":{"order_id":"o\#(n)","revenue":10}}"#)
            }
            try await app.process()
            let outbox = try await app.get(client, "/api/v1/outbox")["messages"]?.arrayValue ?? []
            #expect(outbox.map { $0["template"] } == ["vip-upsell"])

            let simulate = #"{"days": 7, "definition": \#(Self.cart)}"#
            try await app.track(client, #"{"type":"track","userId":"s","event":"Product Added","properties":{"cart_id":"s1"}}"#)
            try await app.process()
            try await client.execute(uri: "/api/v1/journeys/simulate", method: .post, headers: app.adminHeaders, body: .text(simulate)) { response in
                #expect(response.status == .ok)
                #expect(response.json["entered"] == 1)
                #expect(response.json["stillActive"] == 1, "the hour has not passed in the replay window")
            }
            #expect((try await app.get(client, "/api/v1/outbox")["messages"]?.arrayValue ?? []).count == 1, "simulating sent nothing")
        }
    }
}

extension TestApp {
    func installJourney(_ client: some TestClientProtocol, _ document: String) async throws {
        try await client.execute(uri: "/api/v1/journeys", method: .post, headers: adminHeaders, body: .text(document)) { response in
            #expect(response.status == .created, "\(String(buffer: response.body))")
        }
        let key = try JSONValue.parse(document)["key"]!.stringValue!
        // Forced: these tests read the outbox; no SMTP server is configured, so the messages would fail if delivered.
        try await client.execute(uri: "/api/v1/journeys/\(key)/activate?force=true", method: .post, headers: adminHeaders) { #expect($0.status == .ok) }
    }
}
