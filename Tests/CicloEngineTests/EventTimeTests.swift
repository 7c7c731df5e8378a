import CicloCore
import CicloStore
import CicloTesting
import Foundation
import SQLKit
import Testing

@testable import CicloEngine

/// Issue 18, point 3: history in event time. The same events loaded in one batch, or streamed one by one, leave the
/// same stage history and the same segment entries and exits at the same times, on both engines.
@Suite("History in event time: one batch and one event at a time agree")
struct EventTimeTests {
    static let end = Date(timeIntervalSince1970: 1_790_000_000)

    static func history(workspaceId: Int64) -> [Event] {
        var rng = SeededRandom(seed: 18)
        var events: [Event] = []
        var t = end.addingTimeInterval(-200 * 86_400)
        for i in 0..<500 {
            t = t.addingTimeInterval(Double(1 + rng.next() % 40_000))
            let person = "p\(rng.next() % 12)"
            let pick = rng.next() % 10
            var e = Event(workspaceId: workspaceId, messageId: "m\(i)", type: .track, event: "Product Viewed", userId: person,
                          properties: ["product_id": .string("sku\(pick)")], timestamp: t, receivedAt: t)
            switch pick {
            case 0: e.type = .identify; e.event = nil; e.traits = ["email": .string("\(person)@example.com")]
            case 1, 2: e.event = "Product Added"
            case 3: e.event = "Checkout Started"
            case 4, 5: e.event = "Order Completed"; e.properties = ["order_id": .string("o\(i)"), "revenue": .int(Int64(20 + i % 80))]
            case 6 where i % 6 == 0: e.event = "Review Submitted"
            default: break
            }
            events.append(e)
        }
        return events
    }

    /// Stage entries and exits, and segment entries and exits, person by person in time order.
    static func timeline(_ store: Store, _ ws: Int64) async throws -> [String] {
        try await store.database.read { session in
            let stages = try await session.sql.raw("""
                SELECT p.user_id, h.stage, h.entered_at, h.exited_at FROM stage_history h JOIN profiles p ON p.id = h.profile_id
                WHERE h.workspace_id = \(bind: ws) ORDER BY p.user_id, h.entered_at, h.stage
                """).all().map { r in
                "\(try r.decode(column: "user_id", as: String.self)) stage \(try r.decode(column: "stage", as: String.self)) "
                    + "\(try r.decode(column: "entered_at", as: Int64.self))–\(try r.decode(column: "exited_at", as: Int64?.self).map(String.init) ?? "")"
            }
            let segments = try await session.sql.raw("""
                SELECT p.user_id, e.event, e.timestamp, \(unsafeRaw: session.dialect.jsonText("e.properties")) AS props FROM events e
                JOIN profiles p ON p.id = e.profile_id WHERE e.workspace_id = \(bind: ws) AND e.event IN ('Segment Entered', 'Segment Exited')
                """).all().map { r in
                let key = (try JSONValue.parse(try r.decode(column: "props", as: String.self)))["segment_key"]?.stringValue ?? "?"
                return "\(try r.decode(column: "user_id", as: String.self)) \(try r.decode(column: "event", as: String.self)) \(key) "
                    + "\(try r.decode(column: "timestamp", as: Int64.self))"
            }.sorted()
            return stages + segments
        }
    }

    static func run(_ engine: Dialect, oneByOne: Bool) async throws -> [String] {
        var out: [String] = []
        let clock = ManualClock(end)
        try await TestDatabase.withStore(engine, clock: clock) { store in
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            try await store.installReadyMadeSegments(workspaceId: ws)
            let processor = ProfileProcessor(store: store, clock: clock, logger: TestDatabase.quietLogger, batchSize: oneByOne ? 1 : 5_000,
                                             transactionBudget: nil, hooks: [LiveAudience(store: store, clock: clock).hook])
            let events = history(workspaceId: ws)
            if oneByOne {
                for e in events {
                    _ = try await store.appendEvents([e])
                    try await processor.catchUp(workspaceId: ws)
                }
            } else {
                _ = try await store.appendEvents(events)
                try await processor.catchUp(workspaceId: ws)
            }
            while try await LiveAudience(store: store, clock: clock).recheckDue(workspaceId: ws) > 0 {}
            try await processor.catchUp(workspaceId: ws)
            out = try await timeline(store, ws)
        }
        return out
    }

    @Test("stage history and segment entries and exits are identical, change for change", arguments: TestDatabase.engines)
    func equivalence(engine: Dialect) async throws {
        let batch = try await Self.run(engine, oneByOne: false)
        let streamed = try await Self.run(engine, oneByOne: true)
        #expect(batch.count > 40, "the history moves people through stages and segments: \(batch.count) changes")
        // A stage entered at a moment no event has is a window lapsing, dated when it lapsed, not when it was noticed.
        let eventTimes = Set(Self.history(workspaceId: 0).map { $0.timestamp.epochMilliseconds })
        let entered = batch.filter { $0.contains(" stage ") }.compactMap { $0.split(separator: " ").last?.split(separator: "–").first }
        #expect(entered.contains { Int64($0).map { !eventTimes.contains($0) } ?? false }, "someone changes stage by time alone")
        let exits = batch.filter { $0.contains("Segment Exited") }.compactMap { $0.split(separator: " ").last.flatMap { Int64($0) } }
        #expect(exits.contains { !eventTimes.contains($0) }, "someone leaves a segment by time alone")
        #expect(batch == streamed, "first difference: \(zip(batch, streamed).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "counts \(batch.count) vs \(streamed.count)")")
    }
}
