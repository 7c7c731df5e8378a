import CicloCore
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Funnels and retention computed in the database")
struct AnalyticsReportTests {
    static let day0 = ISO8601.parse("2020-06-10T12:00:00Z")!

    static func at(_ day: Int, _ minute: Int = 0) -> String {
        ISO8601.format(day0.addingTimeInterval(Double(day) * 86_400 + Double(minute) * 60))
    }

    @Test("recurring daily retention; an alias merged into a person counts once", arguments: TestDatabase.engines)
    func retention(engine: Dialect) async throws {
        let clock = ManualClock(ISO8601.parse("2020-07-01T00:00:00Z")!)
        try await TestApp.run(engine, clock: clock) { app, client in
            var batch = [#"{"type":"identify","userId":"p1","traits":{"email":"p1@x.com"},"timestamp":"\#(Self.at(0))"}"#]
            for day in [1] { batch.append(#"{"type":"track","userId":"p1","event":"Visited","timestamp":"\#(Self.at(day))"}"#) }
            for (day, minute) in [(2, 0), (5, 0), (5, 30), (6, 0)] {
                batch.append(#"{"type":"track","anonymousId":"phone","event":"Visited","timestamp":"\#(Self.at(day, minute))"}"#)
            }
            for day in [1, 2, 3, 6] { batch.append(#"{"type":"track","userId":"p2","event":"Visited","timestamp":"\#(Self.at(day))"}"#) }
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(#"{"batch":[\#(batch.joined(separator: ","))]}"#)) {
                #expect($0.status == .ok)
            }
            try await app.process()
            // The phone turns out to be person 1: the two profiles merge.
            try await app.track(client, #"{"type":"alias","userId":"p1","previousId":"phone","timestamp":"\#(Self.at(0, 1))"}"#)
            try await app.process()
            let report = try await app.store.retention(workspaceId: try await app.workspaceId,
                                                       RetentionDefinition(cohort: .recurring, mode: .on, interval: .day, periods: 11),
                                                       from: Self.day0, zone: .gmt, now: clock.now())
            let expected: [[Int]] = [[1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0], [2, 2, 1, 0, 1, 2, 0, 0, 0, 0], [2, 1, 0, 1, 2, 0, 0, 0, 0],
                                     [1, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0], [2, 0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0], [0, 0], [0]]
            #expect(report.cohorts.map(\.values) == expected)
            #expect(report.cohorts.allSatisfy { $0.incompleteFrom == nil })
        }
    }

    @Test("daily cohorts across the New York daylight-saving change land on the local day", arguments: TestDatabase.engines)
    func daylightSaving(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            // 04:30 UTC on 9 March 2026 is 00:30 on the 9th in New York (EDT), not 23:30 on the 8th (EST).
            try await app.track(client, #"{"type":"track","userId":"n1","event":"Visited","timestamp":"2026-03-09T04:30:00Z"}"#)
            try await app.track(client, #"{"type":"track","userId":"n2","event":"Visited","timestamp":"2026-03-08T04:30:00Z"}"#)
            try await app.process()
            let zone = TimeZone(identifier: "America/New_York")!
            let report = try await app.store.retention(workspaceId: try await app.workspaceId,
                                                       RetentionDefinition(cohort: .firstTime, interval: .day, periods: 3),
                                                       from: ISO8601.parse("2026-03-07T12:00:00Z")!, zone: zone, now: Date())
            #expect(report.cohorts.map(\.size) == [1, 0, 1], "n2 on the 7th (23:30 EST), n1 on the 9th")
            #expect(report.cohorts.map(\.start) == ["2026-03-07T05:00:00.000Z", "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z"])
        }
    }

    @Test("ordered, strict and any-order funnels; exclusions; people in progress", arguments: TestDatabase.engines)
    func funnels(engine: Dialect) async throws {
        // Day 0 chains closed on 24 June; f's, begun on the 19th, is still open.
        let clock = ManualClock(ISO8601.parse("2020-06-25T00:00:00Z")!)
        try await TestApp.run(engine, clock: clock) { app, client in
            let streams: [(String, [String])] = [("a", ["c1", "c2", "c3", "c4"]), ("b", ["c4", "c3", "c2", "c1"]), ("c", ["c4", "c3"]),
                                                 ("d", ["c1", "x", "c2", "c3"]), ("e", ["c1", "c4", "c2", "c3"])]
            var batch: [String] = []
            for (user, events) in streams {
                for (i, name) in events.enumerated() {
                    batch.append(#"{"type":"track","userId":"\#(user)","event":"\#(name)","timestamp":"\#(Self.at(0, i * 10))"}"#)
                }
            }
            batch.append(#"{"type":"track","userId":"f","event":"c1","timestamp":"2020-06-19T12:00:00Z"}"#)  // window still open
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(#"{"batch":[\#(batch.joined(separator: ","))]}"#)) {
                #expect($0.status == .ok)
            }
            try await app.process()
            let ws = try await app.workspaceId
            let ids = Dictionary(uniqueKeysWithValues: try await ["a", "b", "c", "d", "e", "f"].asyncMap { ($0, try await app.profileId(client, "userId=\($0)")) })
            func run(_ json: String) async throws -> [String: Int] {
                let funnel = try FunnelDefinition.parse(try JSONValue.parse(json))
                let chains = try await app.store.funnelChains(workspaceId: ws, funnel, from: Self.day0.addingTimeInterval(-86_400),
                                                              to: clock.now(), now: clock.now())
                var reached: [String: Int] = [:]
                for chain in chains where !chain.excluded {
                    reached[ids.first { $0.value == chain.profileId }!.key] = chain.reached
                }
                return reached
            }
            let steps = #"[{"event":"c1"},{"event":"c2"},{"event":"c3"}]"#
            #expect(try await run(#"{"steps":\#(steps)}"#) == ["a": 3, "b": 1, "d": 3, "e": 3, "f": 1], "c never did c1")
            #expect(try await run(#"{"steps":\#(steps),"exclude":[{"event":"x","between":[1,2]}]}"#) == ["a": 3, "b": 1, "e": 3, "f": 1])
            #expect(try await run(#"{"steps":\#(steps),"order":"strict"}"#) == ["a": 3, "b": 1, "d": 1, "e": 1, "f": 1])
            let any = try await run(#"{"steps":\#(steps),"order":"any"}"#)
            #expect(any == ["a": 3, "b": 3, "c": 1, "d": 3, "e": 3, "f": 1], "\(any)")

            let funnel = try FunnelDefinition.parse(try JSONValue.parse(#"{"steps":\#(steps)}"#))
            let chains = try await app.store.funnelChains(workspaceId: ws, funnel, from: Self.day0.addingTimeInterval(-86_400), to: clock.now(), now: clock.now())
            let report = FunnelReport(chains: chains, stepNames: ["c1", "c2", "c3"], excludeInProgress: false)
            let group = try #require(report.groups.first)
            #expect(group.steps.map(\.people) == [5, 3, 3])
            #expect(group.steps[0].inProgress == 1 && group.steps[0].droppedOff == 1, "f is still inside its window; b dropped: \(group.steps[0])")
            #expect(group.steps.allSatisfy { $0.sample.count == $0.people }, "the people listed at each step are its count")
            #expect(group.steps[2].medianSecondsToConvert == 1_800, "a took 20 minutes, d and e 30")
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
