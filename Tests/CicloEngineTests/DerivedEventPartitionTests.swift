import CicloCore
import CicloStore
import CicloTesting
import Foundation
import SQLKit
import Testing

@testable import CicloEngine

/// Derived events are dated in event time, so on PostgreSQL they can fall in a month no event came in yet; that month
/// must get its partition first, or a later event of that month cannot be stored (the default partition took rows).
@Suite("Derived events in old months")
struct DerivedEventPartitionTests {
    @Test("orders from 2015 processed with live audiences; then events of the months in between are stored", arguments: TestDatabase.engines)
    func oldMonths(engine: Dialect) async throws {
        let now = ISO8601.parse("2026-06-01T00:00:00Z")!
        let clock = ManualClock(now)
        try await TestDatabase.withStore(engine, clock: clock) { store in
            // Setup: a buyer in January 2015 and January 2016 only; the months between get lapses and stage changes.
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            try await store.installReadyMadeSegments(workspaceId: ws)
            let processor = ProfileProcessor(store: store, clock: clock, logger: TestDatabase.quietLogger,
                                             hooks: [LiveAudience(store: store, clock: clock).hook])
            func order(_ id: String, _ at: String) -> Event {
                let t = ISO8601.parse(at)!
                return Event(workspaceId: ws, messageId: id, type: .track, event: "Order Completed", userId: "ada",
                             properties: ["order_id": .string(id), "revenue": 40], timestamp: t, receivedAt: now)
            }
            _ = try await store.appendEvents([order("o1", "2015-01-10T10:00:00Z"), order("o2", "2016-01-10T10:00:00Z")])
            try await processor.catchUp(workspaceId: ws)
            while try await LiveAudience(store: store, clock: clock).recheckDue(workspaceId: ws) > 0 {}
            let derivedMonths = try await store.database.read { session in
                try await session.sql.raw("SELECT timestamp FROM events WHERE message_id LIKE 'ciclo:%'").all()
                    .map { try $0.decode(column: "timestamp", as: Int64.self) }
            }
            #expect(derivedMonths.contains { $0 > ISO8601.parse("2015-02-01T00:00:00Z")!.epochMilliseconds
                && $0 < ISO8601.parse("2016-01-01T00:00:00Z")!.epochMilliseconds }, "something lapsed in 2015")

            // Action: events of every month between arrive.
            let late = (2...12).map { month in order("late-\(month)", String(format: "2015-%02d-15T12:00:00Z", month)) }
            let stored = try await store.appendEvents(late)

            // Check
            #expect(stored.allSatisfy { $0 != nil })
            try await processor.catchUp(workspaceId: ws)
        }
    }
}
