import CicloCore
import CicloStore
import CicloTesting
import Foundation
import Testing

@testable import CicloEngine

/// Issue 18, point 4: retention counts what people did. Ciclo's own events (segment entries and exits, stage changes)
/// and message-side reports (an ESP's `Email Delivered`) are not activity unless asked for; the SQL table agrees
/// with `PersonActivity` applied in Swift to the same log.
@Suite("Retention counts the person's own activity")
struct RetentionActivityTests {
    /// A Monday, 00:00 UTC: weekly periods start here.
    static let monday = ISO8601.parse("2026-01-05T00:00:00Z")!
    static let week = 7 * 86_400.0
    static let weeks = 10

    static func history(workspaceId: Int64) -> [Event] {
        var rng = SeededRandom(seed: 4)
        var events: [Event] = []
        for i in 0..<900 {
            let t = monday.addingTimeInterval(Double(rng.next() % UInt64(Double(weeks) * week)))
            let person = "p\(rng.next() % 40)"
            var e = Event(workspaceId: workspaceId, messageId: "m\(i)", type: .track, event: "Product Viewed", userId: person,
                          properties: ["product_id": "sku"], timestamp: t, receivedAt: t)
            switch rng.next() % 10 {
            case 0: e.event = "Order Completed"; e.properties = ["order_id": .string("o\(i)"), "revenue": 30]
            case 1: e.event = "Email Opened"
            // What an ESP reports about a newsletter: it reached the inbox; the person did nothing.
            case 2, 3, 4, 5: e.event = "Email Delivered"; e.context = ["library": ["name": "esp"]]
            default: break
            }
            events.append(e)
        }
        return events.sorted { $0.timestamp < $1.timestamp }
    }

    /// The weekly period an event falls in, counted from `monday`.
    static func week(of e: Event) -> Int { Int((e.timestamp.timeIntervalSince(monday) / week).rounded(.down)) }

    /// Weekly recurring retention computed in Swift from the stored log with `PersonActivity`.
    static func expected(_ log: [Event]) -> [[Int]] {
        var active: [Int64: Set<Int>] = [:]
        for e in log where PersonActivity.includes(e) {
            guard let p = e.profileId else { continue }
            let k = week(of: e)
            if (0..<weeks).contains(k) { active[p, default: []].insert(k) }
        }
        return (0..<weeks).map { cohort in
            let members = active.filter { $0.value.contains(cohort) }
            return (0..<(weeks - cohort)).map { k in members.filter { $0.value.contains(cohort + k) }.count }
        }
    }

    @Test("the weekly table leaves out derived and message-side events and agrees with PersonActivity",
          arguments: TestDatabase.engines)
    func agreement(engine: Dialect) async throws {
        let now = Self.monday.addingTimeInterval(Double(Self.weeks) * Self.week + 3_600)
        let clock = ManualClock(now)
        try await TestDatabase.withStore(engine, clock: clock) { store in
            // Setup: the history, processed with the ready-made segments live, so Ciclo writes its own events too.
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            try await store.installReadyMadeSegments(workspaceId: ws)
            let processor = ProfileProcessor(store: store, clock: clock, logger: TestDatabase.quietLogger, batchSize: 5_000,
                                             hooks: [LiveAudience(store: store, clock: clock).hook])
            _ = try await store.appendEvents(Self.history(workspaceId: ws))
            try await processor.catchUp(workspaceId: ws)
            while try await LiveAudience(store: store, clock: clock).recheckDue(workspaceId: ws) > 0 {}
            try await processor.catchUp(workspaceId: ws)
            let log = try await store.events(workspaceId: ws, after: 0, limit: 100_000)
            #expect(log.contains { $0.isDerived }, "Ciclo wrote segment and stage events")

            // Action
            func table(_ include: Bool) async throws -> [[Int]] {
                let definition = RetentionDefinition(cohort: .recurring, interval: .week, periods: Self.weeks, includeCicloEvents: include)
                return try await store.retention(workspaceId: ws, definition, from: Self.monday, zone: .gmt, now: now).cohorts.map(\.values)
            }
            let own = try await table(false), everything = try await table(true)

            // Check
            #expect(own == Self.expected(log))
            #expect(own != everything, "counting deliveries and Ciclo's events changes the table")
            let ownWeek1 = own.dropLast().map { $0[1] }.reduce(0, +), allWeek1 = everything.dropLast().map { $0[1] }.reduce(0, +)
            #expect(ownWeek1 < allWeek1, "fewer people return in week 1 by what they did than by what was sent to them")
        }
    }

    @Test("start and return events are the marketer's: first order, then any later order", arguments: TestDatabase.engines)
    func chosenEvents(engine: Dialect) async throws {
        let now = Self.monday.addingTimeInterval(Double(Self.weeks) * Self.week + 3_600)
        let clock = ManualClock(now)
        try await TestDatabase.withStore(engine, clock: clock) { store in
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            let processor = ProfileProcessor(store: store, clock: clock, logger: TestDatabase.quietLogger, batchSize: 5_000, hooks: [])
            _ = try await store.appendEvents(Self.history(workspaceId: ws))
            try await processor.catchUp(workspaceId: ws)
            let log = try await store.events(workspaceId: ws, after: 0, limit: 100_000)

            let order = EventMatch(name: "Order Completed")
            let report = try await store.retention(workspaceId: ws, RetentionDefinition(start: order, returning: order, cohort: .firstTime,
                                                                                        interval: .week, periods: Self.weeks),
                                                   from: Self.monday, zone: .gmt, now: now)

            var firstOrder: [Int64: Int] = [:], orderWeeks: [Int64: Set<Int>] = [:]
            for e in log where e.event == "Order Completed" {
                guard let p = e.profileId else { continue }
                let k = Self.week(of: e)
                firstOrder[p] = min(firstOrder[p] ?? k, k)
                orderWeeks[p, default: []].insert(k)
            }
            for (cohort, row) in report.cohorts.enumerated() {
                let members = firstOrder.filter { $0.value == cohort }.map(\.key)
                #expect(row.size == members.count)
                for k in 1..<row.values.count {
                    #expect(row.values[k] == members.filter { orderWeeks[$0]?.contains(cohort + k) == true }.count)
                }
            }
            #expect(report.cohorts.map(\.size).reduce(0, +) == firstOrder.count)
        }
    }
}
