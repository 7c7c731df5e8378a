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

/// Issue 17, case 4: another workspace's ids are "not found" everywhere, and nothing of theirs is read or written.
@Suite("Workspace isolation: another workspace's ids change and reveal nothing")
struct WorkspaceIsolationTests {
    static let journey = #"""
        {"key": "poke", "name": "Poke", "trigger": {"api": true}, "entry": {"frequency": "always"}, "start": "set",
         "steps": {"set": {"type": "updateTraits", "traits": {"plan": "pwned"}, "next": "look"},
                   "look": {"type": "branch", "branches": [{"condition": {"trait": "secret", "op": "equals", "value": "b-only"}, "next": "hook"}]},
                   "hook": {"type": "updateTraits", "traits": {"saw": "b's secret"}}}}
        """#

    @Test("A's token cannot enrol B's profile in A's journey, change B's traits, or read them through a branch",
          arguments: TestDatabase.engines)
    func journeyEnrolment(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let other = try await app.store.createWorkspace(named: "other")
            let otherAuth: HTTPFields = [.authorization: "Basic " + Data("\(other.writeKey):".utf8).base64EncodedString(), .contentType: "application/json"]
            try await client.execute(uri: "/v1/identify", method: .post, headers: otherAuth,
                                     body: .text(#"{"userId":"bo","traits":{"secret":"b-only","plan":"gold"}}"#)) { #expect($0.status == .ok) }
            let otherId = try await app.store.workspace(named: "other").id
            try await app.environment.profiles.catchUp(workspaceId: otherId)
            let bo = try #require(try await app.store.findProfiles(workspaceId: otherId, identifier: Identifier(.userId, "bo"), limit: 1).first?.id)

            try await app.installJourney(client, Self.journey)
            try await app.postJSON(client, "/api/v1/journeys/poke/enrol", #"{"profileIds":[\#(bo)]}"#) { r in
                #expect(r.status == .ok && r.json["enrolled"] == [], "\(r.json)")
            }
            _ = try await app.environment.journeys.runDue()
            let after = try #require(try await app.store.contact(workspaceId: otherId, profileId: bo))
            #expect(after.profile.traits["plan"] == "gold" && after.profile.traits["saw"] == nil, "B's profile is untouched")
            let mine = try await app.store.workspace(named: app.credentials.workspace).id
            let log = try await app.store.events(EventQuery(workspaceId: mine, limit: 1000))
            #expect(!log.contains { $0.properties.jsonText.contains("b-only") || $0.profileId == bo }, "nothing of B's is in A's log")
            try await client.execute(uri: "/api/v1/profiles/\(bo)", method: .get, headers: app.adminHeaders) { #expect($0.status == .notFound) }
        }
    }

    @Test("loyalty adjustments, redemptions and tiers for another workspace's profile id are not found and create nothing",
          arguments: TestDatabase.engines)
    func loyalty(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            try await app.putJSON(client, "/api/v1/loyalty/program", #"{"pendingDays":0,"tiers":[{"key":"base","threshold":0}]}"#)
            let other = try await app.store.createWorkspace(named: "other")
            let otherAuth: HTTPFields = [.authorization: "Basic " + Data("\(other.writeKey):".utf8).base64EncodedString(), .contentType: "application/json"]
            try await client.execute(uri: "/v1/identify", method: .post, headers: otherAuth, body: .text(#"{"userId":"bo"}"#)) { #expect($0.status == .ok) }
            let otherId = try await app.store.workspace(named: "other").id
            try await app.environment.profiles.catchUp(workspaceId: otherId)
            let bo = try #require(try await app.store.findProfiles(workspaceId: otherId, identifier: Identifier(.userId, "bo"), limit: 1).first?.id)

            let member = "/api/v1/loyalty/members/\(bo)"
            try await app.postJSON(client, member + "/adjustments", #"{"points":500,"reason":"gift"}"#) {
                #expect($0.status == .notFound && $0.json["code"] == "unknown_member", "\($0.json)")
            }
            var keyed = app.jsonHeaders
            keyed[HTTPField.Name("Idempotency-Key")!] = "k1"
            try await app.postJSON(client, member + "/redemptions", #"{"points":1}"#, headers: keyed) { #expect($0.status == .notFound) }
            try await app.postJSON(client, member + "/tier", #"{"tier":"base","until":"2030-01-01T00:00:00Z"}"#) { #expect($0.status == .notFound) }
            try await client.execute(uri: member, method: .get, headers: app.adminHeaders) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/loyalty/verify", method: .get, headers: app.adminHeaders) { r in
                #expect(r.json["accounts"] == 0 && r.json["discrepancies"] == 0, "no account was opened in A: \(r.json)")
            }
        }
    }
}
