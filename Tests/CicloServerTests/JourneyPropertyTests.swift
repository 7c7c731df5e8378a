import CicloCore
import CicloEngine
import CicloServer
import CicloStore
import CicloTesting
import Foundation
import HummingbirdTesting
import Testing

/// Random event streams through three competing journeys: never two active enrolments of one person in one journey,
/// and never more marketing messages than the caps allow in any window.
@Suite("Journey invariants on random streams")
struct JourneyPropertyTests {
    @Test("at most one active enrolment per person and journey; no person over a cap", arguments: TestDatabase.engines, [UInt64(1), 2])
    func invariants(engine: Dialect, seed: UInt64) async throws {
        let clock = ManualClock(ISO8601.parse("2026-02-02T12:00:00Z")!)
        try await TestApp.run(engine, clock: clock) { app, client in
            let journeys = [
                #"{"key":"j1","name":"J1","trigger":{"event":"Product Viewed"},"entry":{"frequency":"always"},"start":"m","steps":{"m":{"type":"message","channel":"email","template":"t","next":"w"},"w":{"type":"wait","duration":{"hours":6},"next":"m2"},"m2":{"type":"message","channel":"email","template":"t"}}}"#,
                #"{"key":"j2","name":"J2","priority":5,"trigger":{"event":"Product Added"},"entry":{"frequency":{"oncePer":{"hours":12}}},"start":"w","steps":{"w":{"type":"wait","duration":{"hours":2},"next":"m"},"m":{"type":"message","channel":"email","template":"t","next":"s"},"s":{"type":"message","channel":"sms","template":"t"}}}"#,
                #"{"key":"j3","name":"J3","trigger":{"event":"Order Completed"},"entry":{"frequency":"always"},"start":"m","goal":{"event":"Product Viewed"},"steps":{"m":{"type":"message","channel":"sms","template":"t","next":"w"},"w":{"type":"waitForEvent","event":"Product Added","timeout":{"hours":3},"onEvent":"m","onTimeout":"m"}}}"#,
            ]
            for journey in journeys { try await app.installJourney(client, journey) }
            var rules = JourneyRules.standard
            rules.quietHours = nil
            try await app.store.setJourneyRules(workspaceId: try await app.workspaceId, rules)

            var rng = SeededRandom(seed: seed)
            let names = ["Product Viewed", "Product Added", "Order Completed"]
            for _ in 0..<120 {
                let user = "u\(rng.int(in: 0...7))"
                let name = names[rng.int(in: 0...2)]
                try await app.track(client, #"{"type":"track","userId":"\#(user)","event":"\#(name)","properties":{"cart_id":"c"}}"#)
                if rng.chance(0.5) { try await app.process() }
                clock.advance(by: Double(rng.int(in: 0...7_200)))
                if rng.chance(0.5) { _ = try await app.environment.journeys.runDue() }
            }
            try await app.process()
            _ = try await app.environment.journeys.runDue()

            let ws = try await app.workspaceId
            let (active, messages) = try await app.store.database.read { session in
                let people = Array(1...Int64(20))
                let active = try await Store.activeEnrolments(in: session, workspaceId: ws, profileIds: people)
                let messages = try await Store.recentMessages(in: session, workspaceId: ws, profileIds: people, since: 0)
                return (active, messages)
            }
            let pairs = active.map { "\($0.journeyId)/\($0.profileId)" }
            #expect(Set(pairs).count == pairs.count, "no person is enrolled twice at once in one journey")
            var total = 0
            for (_, channels) in messages {
                for cap in rules.caps {
                    let times = (channels[cap.channel] ?? []).sorted()
                    total += times.count
                    for (i, t) in times.enumerated() {
                        let inWindow = times[i...].prefix { $0 < t + cap.window.milliseconds }.count
                        #expect(inWindow <= cap.limit, "\(cap.channel): \(inWindow) messages within \(cap.window.seconds / 3_600) hours")
                    }
                }
            }
            #expect(total > 10, "the streams sent enough messages to test the caps")
        }
    }
}
