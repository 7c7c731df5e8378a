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

/// Identity resolution end to end: through the tracking API, the profile processor and the admin API.
@Suite("Profiles through the tracking API")
struct ProfileResolutionTests {
    @Test("anonymous browsing on two devices, sign-up on one, login on the other: one profile with the whole history",
          arguments: TestDatabase.engines)
    func twoDevices(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            try await app.track(client, #"{"type":"page","anonymousId":"phone","name":"Home"}"#)
            try await app.track(client, #"{"type":"track","anonymousId":"laptop","event":"Product Viewed","properties":{"product_id":"p1"}}"#)
            try await app.process()
            try await app.track(client, #"{"type":"identify","anonymousId":"laptop","userId":"u1","traits":{"email":"Ada@Shop.com","name":"Ada"}}"#)
            try await app.process()
            try await app.track(client, #"{"type":"identify","anonymousId":"phone","userId":"u1"}"#)
            try await app.track(client, #"{"type":"track","userId":"u1","event":"Order Completed","properties":{"order_id":"o1","revenue":30}}"#)
            try await app.process()

            let found = try await app.get(client, "/api/v1/profiles?email=ada@shop.com")["profiles"]?.arrayValue ?? []
            #expect(found.count == 1)
            let id = try #require(found.first?["id"]?.intValue)
            let profile = try await app.get(client, "/api/v1/profiles/\(id)")
            #expect(Set((profile["identities"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue }) ==
                ["u1", "phone", "laptop", "ada@shop.com"])
            #expect(profile["eventTotal"]?.intValue ?? 0 >= 5)
            #expect(profile["computed"]?["orderCount"] == 1)
            #expect(profile["computed"]?["eventCount"] == 5)
            #expect(profile["traits"]?["name"] == "Ada")
            #expect((profile["merges"]?.arrayValue ?? []).count == 1)
            let timeline = try await app.get(client, "/api/v1/profiles/\(id)/events")["events"]?.arrayValue ?? []
            #expect(timeline.filter { $0["context"]?["library"]?["name"] != "ciclo" }.count == 5)
            #expect(timeline.contains { $0["event"] == "Lifecycle Stage Changed" }, "Ciclo's own events are on the timeline too")
            let byPhone = try await app.get(client, "/api/v1/profiles?anonymousId=phone")["profiles"]?.arrayValue ?? []
            #expect(byPhone.first?["id"]?.intValue == id)
            // The id of the merged-away profile still resolves to the survivor.
            let gone = try #require(profile["merges"]?.arrayValue?.first?["from"]?.intValue)
            #expect(try await app.get(client, "/api/v1/profiles/\(gone)")["id"]?.intValue == id)
            #expect(try await app.get(client, "/api/v1/profiles/\(gone)")["requestedId"]?.intValue == gone)
        }
    }

    @Test("two user ids sharing an email stay two people; blocked ids are ignored", arguments: TestDatabase.engines)
    func conflictsAndBlocked(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            try await app.track(client, #"{"type":"identify","userId":"u1","anonymousId":"undefined","traits":{"email":"team@shop.com"}}"#)
            try await app.track(client, #"{"type":"identify","userId":"u2","anonymousId":"null","traits":{"email":"team@shop.com"}}"#)
            try await app.process()
            let u1 = try await app.get(client, "/api/v1/profiles?userId=u1")["profiles"]?.arrayValue?.first
            let u2 = try await app.get(client, "/api/v1/profiles?userId=u2")["profiles"]?.arrayValue?.first
            #expect(u1?["id"] != u2?["id"])
            let detail = try await app.get(client, "/api/v1/profiles/\(u2?["id"]?.intValue ?? 0)")
            #expect((detail["identities"]?.arrayValue ?? []).map { $0["kind"] } == ["user_id"])
            #expect(detail["conflicts"]?.arrayValue?.first?["value"] == "team@shop.com")
            #expect(try await app.store.profileCount(workspaceId: app.workspaceId) == 2)
        }
    }

    @Test("merge chains across batches: A and B merge, then that person and C; every old id resolves to the survivor",
          arguments: TestDatabase.engines)
    func chains(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            try await app.track(client, #"{"type":"track","anonymousId":"a","event":"E"}"#)
            try await app.track(client, #"{"type":"track","anonymousId":"b","event":"E"}"#)
            try await app.track(client, #"{"type":"track","userId":"c","event":"E"}"#)
            try await app.process()
            let a = try await app.profileId(client, "anonymousId=a")
            let b = try await app.profileId(client, "anonymousId=b")
            let c = try await app.profileId(client, "userId=c")
            try await app.track(client, #"{"type":"identify","anonymousId":"a","traits":{"email":"x@y.com"}}"#)
            try await app.track(client, #"{"type":"identify","anonymousId":"b","traits":{"email":"x@y.com"}}"#)
            try await app.process()
            try await app.track(client, #"{"type":"identify","anonymousId":"b","userId":"c"}"#)
            try await app.process()
            let survivor = try await app.profileId(client, "userId=c")
            #expect(survivor == min(a, b, c), "the oldest profile survives")
            for old in [a, b, c] {
                #expect(try await app.get(client, "/api/v1/profiles/\(old)")["id"]?.intValue == survivor)
            }
            let merged = try await app.get(client, "/api/v1/profiles/\(survivor)")
            let own = try await app.get(client, "/api/v1/profiles/\(survivor)/events")["events"]?.arrayValue ?? []
            #expect(own.filter { $0["context"]?["library"]?["name"] != "ciclo" }.count == 6)
            #expect(Set((merged["merges"]?.arrayValue ?? []).compactMap { $0["from"]?.intValue }) == Set([a, b, c]).subtracting([survivor]))
            #expect(try await app.store.profileCount(workspaceId: app.workspaceId) == 1)
        }
    }

    @Test("erasure leaves nothing behind; with suppression, later events carrying the ids are dropped and counted",
          arguments: TestDatabase.engines)
    func erasure(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            try await app.track(client, #"{"type":"identify","userId":"gone","anonymousId":"dev","traits":{"email":"gone@x.com"}}"#)
            try await app.track(client, #"{"type":"track","userId":"gone","event":"Order Completed","properties":{"revenue":5}}"#)
            try await app.track(client, #"{"type":"track","userId":"stays","event":"E"}"#)
            try await app.process()
            let id = try await app.profileId(client, "userId=gone")
            try await client.execute(uri: "/api/v1/profiles/\(id)?suppress=true", method: .delete, headers: app.adminHeaders) { response in
                #expect(response.status == .ok)
                #expect(response.json["events"]?.intValue ?? 0 >= 2, "their two events and Ciclo's own about them")
                #expect(response.json["identifiers"] == 3)
            }
            try await client.execute(uri: "/api/v1/profiles/\(id)", method: .get, headers: app.adminHeaders) {
                #expect($0.status == .notFound)
            }
            #expect(try await app.get(client, "/api/v1/events?userId=gone")["events"]?.arrayValue?.isEmpty == true)
            try await app.track(client, #"{"type":"track","anonymousId":"dev","event":"Came Back"}"#)
            try await app.process()
            #expect(try await app.get(client, "/api/v1/profiles?anonymousId=dev")["profiles"]?.arrayValue?.isEmpty == true)
            #expect(try await app.get(client, "/api/v1/events?event=Came+Back")["events"]?.arrayValue?.isEmpty == true)
            #expect(try await app.store.profileCount(workspaceId: app.workspaceId) == 1)
            let dropped = try await app.store.suppressionCounts(workspaceId: app.workspaceId)
            #expect(dropped[Identifier(.anonymousId, "dev")] == 1)
            try await client.execute(uri: "/api/v1/profiles/\(id)", method: .delete, headers: app.adminHeaders) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/profiles/abc", method: .delete, headers: app.adminHeaders) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test("processing is exactly once: replaying the processor changes nothing, and a rebuild gives the same profiles",
          arguments: TestDatabase.engines)
    func rebuild(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let shop = DemoShop(.init(profiles: 150, days: 120, seed: 3, end: ISO8601.parse("2026-03-01T00:00:00Z"),
                                      workspaceId: try await app.workspaceId))
            try await DemoLoader(store: app.store, shop: shop, chunkVisitors: 50).load()
            try await app.process()
            try await app.process()
            let before = try await app.snapshot()
            try await app.store.resetProfiles(workspaceId: app.workspaceId)
            try await app.process()
            let after = try await app.snapshot()
            #expect(before.count > 150)
            #expect(before == after)
            let lag = try await app.get(client, "/api/v1/profiles/processing")
            #expect(lag["events"] == 0)
        }
    }
}

extension TestApp {
    var workspaceId: Int64 { get async throws { try await store.workspace(named: credentials.workspace).id } }

    /// Sends one message as a batch of one.
    func track(_ client: some TestClientProtocol, _ message: String) async throws {
        try await client.execute(uri: "/v1/batch", method: .post, headers: basicAuth, body: .text(#"{"batch":[\#(message)]}"#)) {
            #expect($0.status == .ok)
        }
    }

    /// Lets the profile processor apply everything stored so far.
    func process() async throws {
        try await environment.profiles.catchUp(workspaceId: try await workspaceId)
    }

    /// An admin GET as JSON.
    func get(_ client: some TestClientProtocol, _ path: String) async throws -> JSONValue {
        try await client.execute(uri: path, method: .get, headers: adminHeaders) { response in
            #expect(response.status == .ok, "\(path)")
            return response.json
        }
    }

    /// The id of the one profile a query finds.
    func profileId(_ client: some TestClientProtocol, _ query: String) async throws -> Int64 {
        try #require(try await get(client, "/api/v1/profiles?\(query)")["profiles"]?.arrayValue?.first?["id"]?.intValue)
    }

    /// Every live profile by its user or anonymous ids, with its counts, to compare two runs.
    func snapshot() async throws -> [String: String] {
        var result: [String: String] = [:]
        for (profile, ids) in try await store.profilePage(workspaceId: try await workspaceId, afterId: 0, limit: 100_000) {
            let key = ids.map { "\($0.kind.rawValue):\($0.value)" }.sorted().joined(separator: "|")
            let c = profile.computed
            result[key] = "\(c.eventCount)/\(c.sessionCount)/\(c.orderCount)/\(c.totalRevenue)/\(JSONValue.object(profile.traits).jsonText)"
        }
        return result
    }
}
