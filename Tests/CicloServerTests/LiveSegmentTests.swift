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

/// Segments, stages and personas kept live through the tracking API, with an injected clock.
@Suite("Live segments and lifecycle stages")
struct LiveSegmentTests {
    static let start = ISO8601.parse("2026-04-01T09:00:00Z")!

    @Test("a cart abandoner enters at once and leaves when the 24-hour window lapses, with both events on the timeline",
          arguments: TestDatabase.engines)
    func windowLapse(engine: Dialect) async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.run(engine, clock: clock) { app, client in
            try await app.track(client, #"{"type":"track","userId":"shopper","event":"Product Added","properties":{"product_id":"p1"}}"#)
            try await app.process()
            let id = try await app.profileId(client, "userId=shopper")
            #expect(try await app.segments(client, id).contains("cart-abandoners"))

            clock.advance(by: 23 * 3_600)
            try await app.recheck()
            #expect(try await app.segments(client, id).contains("cart-abandoners"), "still inside the window")
            clock.advance(by: 2 * 3_600)
            try await app.recheck()
            #expect(try await app.segments(client, id).contains("cart-abandoners") == false, "the window lapsed with no new event")

            let names = try await app.timeline(client, id).map { "\($0["event"]?.stringValue ?? "")/\($0["properties"]?["segment_key"]?.stringValue ?? "")" }
            #expect(names.contains("Segment Entered/cart-abandoners") && names.contains("Segment Exited/cart-abandoners"))
        }
    }

    @Test("stages move as people sign up, buy and time passes; every change is recorded and emitted",
          arguments: TestDatabase.engines)
    func stages(engine: Dialect) async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.run(engine, clock: clock) { app, client in
            try await app.track(client, #"{"type":"page","anonymousId":"visitor","name":"Home","timestamp":"2026-04-01T09:00:00Z"}"#)
            try await app.process()
            let id = try await app.profileId(client, "anonymousId=visitor")
            #expect(try await app.get(client, "/api/v1/profiles/\(id)")["stage"] == "attract")
            try await app.track(client, #"{"type":"identify","anonymousId":"visitor","userId":"v1","traits":{"email":"v@x.com"}}"#)
            try await app.process()
            #expect(try await app.get(client, "/api/v1/profiles/\(id)")["stage"] == "convert")
            try await app.track(client, #"{"type":"track","userId":"v1","event":"Order Completed","properties":{"order_id":"o1","revenue":40}}"#)
            try await app.process()
            #expect(try await app.get(client, "/api/v1/profiles/\(id)")["stage"] == "fulfil")
            clock.advance(by: 31 * 86_400)
            try await app.recheck()
            let profile = try await app.get(client, "/api/v1/profiles/\(id)")
            #expect(profile["stage"] == "retain", "the first order is now more than 30 days old")
            #expect((profile["stageHistory"]?.arrayValue ?? []).map { $0["stage"] } == ["retain", "fulfil", "convert", "attract"])
            let changes = try await app.timeline(client, id).filter { $0["event"] == "Lifecycle Stage Changed" }
            #expect(changes.map { $0["properties"]?["to"] } == ["retain", "fulfil", "convert", "attract"])

            let metrics = try await app.get(client, "/api/v1/lifecycle/metrics?from=2026-03-01T00:00:00Z&to=2026-06-01T00:00:00Z&interval=month&windowDays=60")
            let stages = Dictionary(uniqueKeysWithValues: (metrics["stages"]?.arrayValue ?? []).map { ($0["key"]?.stringValue ?? "", $0) })
            #expect(stages["retain"]?["people"] == 1 && stages["attract"]?["people"] == 0)
            #expect(stages["fulfil"]?["entries"] == 1 && stages["fulfil"]?["convertedToLater"] == 1)
            #expect(stages["fulfil"]?["revenue"] == 40, "the order happened while the person was in Fulfil")
            #expect(metrics["transitions"]?["fulfil"]?["retain"] == 1)
        }
    }

    @Test("membership follows a merge: the survivor is evaluated, the merged-away profile keeps nothing",
          arguments: TestDatabase.engines)
    func merges(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            try await app.track(client, #"{"type":"identify","userId":"buyer","traits":{"email":"b@x.com"}}"#)
            try await app.track(client, #"{"type":"track","userId":"buyer","event":"Order Completed","timestamp":"2026-01-01T00:00:00Z","properties":{"order_id":"o1","revenue":10}}"#)
            try await app.track(client, #"{"type":"track","anonymousId":"phone","event":"Product Added","properties":{"product_id":"p"}}"#)
            try await app.process()
            let buyer = try await app.profileId(client, "userId=buyer")
            let phone = try await app.profileId(client, "anonymousId=phone")
            #expect(try await app.segments(client, phone).contains("cart-abandoners"))
            #expect(try await app.segments(client, buyer).contains("first-time-buyers"))

            try await app.track(client, #"{"type":"identify","userId":"buyer","anonymousId":"phone"}"#)
            try await app.process()
            let survivor = try await app.profileId(client, "userId=buyer")
            let segments = try await app.segments(client, survivor)
            #expect(segments.contains("cart-abandoners") && segments.contains("first-time-buyers"))
            let members = try await app.get(client, "/api/v1/segments/cart-abandoners/members")["members"]?.arrayValue ?? []
            #expect(members.map { $0["profile"]?["id"]?.intValue } == [survivor])
            #expect(try await app.get(client, "/api/v1/segments/cart-abandoners")["memberCount"] == 1)
        }
    }

    @Test("segments through the API: create with a live count, preview, members, export, validation and cycles",
          arguments: TestDatabase.engines)
    func segmentAPI(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            for i in 0..<5 {
                try await app.track(client, #"{"type":"identify","userId":"p\#(i)","traits":{"plan":"\#(i < 2 ? "pro" : "free")","seats":\#(i)}}"#)
            }
            try await app.process()
            let create = #"{"key":"pro","name":"Pro plan","condition":{"trait":"plan","op":"equals","value":"pro"}}"#
            try await client.execute(uri: "/api/v1/segments", method: .post, headers: app.adminHeaders, body: .text(create)) { response in
                #expect(response.status == .created)
                #expect(response.json["memberCount"] == 2)
            }
            try await client.execute(uri: "/api/v1/segments", method: .post, headers: app.adminHeaders, body: .text(create)) {
                #expect($0.status == .conflict)
            }
            let preview = #"{"condition":{"all":[{"segment":"pro"},{"trait":"seats","op":"gte","value":1}]}}"#
            try await client.execute(uri: "/api/v1/segments/preview", method: .post, headers: app.adminHeaders, body: .text(preview)) { response in
                #expect(response.json["count"] == 1)
                #expect(response.json["sample"]?.arrayValue?.first?["userId"] == "p1")
            }
            let bad = #"{"key":"x","name":"X","condition":{"all":[{"trait":"plan","op":"equals","value":"a"},{"trait":"plan","op":"bigger","value":1}]}}"#
            try await client.execute(uri: "/api/v1/segments", method: .post, headers: app.adminHeaders, body: .text(bad)) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["code"] == "invalid_condition")
                #expect(response.json["message"]?.stringValue?.contains("condition.all[1].op") == true)
            }
            let selfRef = #"{"name":"Pro","condition":{"segment":"pro"}}"#
            try await client.execute(uri: "/api/v1/segments/pro", method: .put, headers: app.adminHeaders, body: .text(selfRef)) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["code"] == "segment_cycle")
            }
            let dependent = #"{"key":"big-pro","name":"Big pro","condition":{"all":[{"segment":"pro"},{"trait":"seats","op":"gte","value":1}]}}"#
            try await client.execute(uri: "/api/v1/segments", method: .post, headers: app.adminHeaders, body: .text(dependent)) {
                #expect($0.json["memberCount"] == 1)
            }
            try await client.execute(uri: "/api/v1/segments/pro", method: .delete, headers: app.adminHeaders) { response in
                #expect(response.status == .conflict)
                #expect(response.json["code"] == "segment_in_use")
            }
            try await client.execute(uri: "/api/v1/segments/pro/export", method: .get, headers: app.adminHeaders) { response in
                let lines = String(buffer: response.body).split(separator: "\n")
                #expect(lines.count == 3 && lines[0].hasPrefix("profile_id,user_id"))
            }
            // Widening the condition recomputes membership at once.
            let widened = #"{"name":"Pro or team","condition":{"trait":"plan","op":"in","value":["pro","free"]}}"#
            try await client.execute(uri: "/api/v1/segments/pro", method: .put, headers: app.adminHeaders, body: .text(widened)) {
                #expect($0.json["memberCount"] == 5)
            }
            try await client.execute(uri: "/api/v1/segments/nope", method: .get, headers: app.adminHeaders) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/segments", method: .post, headers: app.adminHeaders, body: .text("[1]")) {
                #expect($0.status == .badRequest)
            }
            let list = try await app.get(client, "/api/v1/segments")["segments"]?.arrayValue ?? []
            #expect(list.count == SegmentDefinition.readyMade.count + 2)
        }
    }
}

extension TestApp {
    func recheck() async throws {
        try await LiveAudience(store: store, clock: environment.clock).recheckDue(workspaceId: try await workspaceId)
    }

    func segments(_ client: some TestClientProtocol, _ id: Int64) async throws -> [String] {
        (try await get(client, "/api/v1/profiles/\(id)")["segments"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    func timeline(_ client: some TestClientProtocol, _ id: Int64) async throws -> [JSONValue] {
        try await get(client, "/api/v1/profiles/\(id)/events?limit=500")["events"]?.arrayValue ?? []
    }
}
