import CicloCore
import CicloEngine
import CicloServer
import CicloStore
import CicloTesting
import Foundation
import Hummingbird
import SQLKit
import HummingbirdTesting
import Testing

/// Issue 21, point 2: what reads and then writes one person's state is serialised per person, so two journeys
/// enrolling the same people at once never send past a frequency cap.
@Suite("Per-person serialisation")
struct PersonSerialisationTests {
    @Test("two journeys enrolling the same people at once queue one email each under a one-a-day cap", arguments: TestDatabase.engines)
    func capsHoldUnderConcurrency(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            // Setup: two journeys that email at once, a cap of one email a day, 40 people.
            for key in ["first", "second"] {
                try await app.installJourney(client, #"""
                    {"key":"\#(key)","name":"\#(key)","trigger":{"api":true},"entry":{"frequency":"always"},"start":"m",
                     "steps":{"m":{"type":"message","channel":"email","template":"t"}}}
                    """#)
            }
            let ws = try await app.workspaceId
            try await app.store.setJourneyRules(workspaceId: ws, JourneyRules(caps: [.init(channel: "email", limit: 1, window: .days(1))]))
            var batch: [String] = []
            for i in 0..<40 { batch.append(#"{"type":"identify","userId":"p\#(i)","traits":{"email":"p\#(i)@example.com"}}"#) }
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(#"{"batch":[\#(batch.joined(separator: ","))]}"#)) {
                #expect($0.status == .ok)
            }
            try await app.process()
            let people = try await app.store.database.read { session in
                try await session.sql.raw("SELECT id FROM profiles WHERE workspace_id = \(bind: ws) ORDER BY id").all().map { try $0.decode(column: "id", as: Int64.self) }
            }
            #expect(people.count == 40)

            // Action: both journeys enrol everyone, one person at a time, concurrently.
            let journeys = app.environment.journeys
            try await withThrowingTaskGroup(of: Void.self) { group in
                for key in ["first", "second"] {
                    group.addTask {
                        for person in people { _ = try await journeys.enrol(workspaceId: ws, journeyKey: key, profileIds: [person]) }
                    }
                }
                try await group.waitForAll()
            }

            // Check: each person has exactly one email queued, whichever journey won.
            let sent = try await app.store.database.read { session in
                try await Store.recentMessages(in: session, workspaceId: ws, profileIds: people, since: 0)
            }
            let perPerson = people.map { sent[$0]?["email"]?.count ?? 0 }
            #expect(perPerson.allSatisfy { $0 == 1 }, "emails per person: \(perPerson)")
        }
    }

    @Test("two saves at once that would close a cycle between them: one is refused, and no cycle is stored", arguments: TestDatabase.engines)
    func segmentCycle(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, _ in
            let ws = try await app.workspaceId
            let store = app.store
            for round in 0..<10 {
                // Setup: two plain segments.
                let (a, b) = ("a\(round)", "b\(round)")
                for key in [a, b] {
                    try await store.saveSegment(workspaceId: ws, SegmentDefinition(key: key, name: key, condition: try Condition.parse(
                        #"{"trait":"plan","op":"equals","value":"pro"}"#)), create: true)
                }
                // Action: a comes to need b while b comes to need a.
                let outcomes = await withTaskGroup(of: Bool.self) { group in
                    for (key, other) in [(a, b), (b, a)] {
                        group.addTask {
                            let condition = try? Condition.parse(#"{"all":[{"segment":"\#(other)"},{"trait":"seats","op":"gte","value":1}]}"#)
                            guard let condition else { return false }
                            do {
                                try await store.saveSegment(workspaceId: ws, SegmentDefinition(key: key, name: key, condition: condition), create: false)
                                return true
                            } catch { return false }
                        }
                    }
                    return await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                // Check
                #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
                let all = try await store.segments(workspaceId: ws).map(\.definition)
                #expect(throws: Never.self) { try AudiencePlan.order(all) }
            }
        }
    }

    @Test("lock keys are stable and differ by workspace and person")
    func keys() {
        #expect(Store.personLockKey(workspaceId: 1, profileId: 2) == Store.personLockKey(workspaceId: 1, profileId: 2))
        let keys = Set((1...3).flatMap { w in (1...1_000).map { Store.personLockKey(workspaceId: Int64(w), profileId: Int64($0)) } })
        #expect(keys.count == 3_000)
    }
}
