import CicloCore
import CicloStore
import CicloTesting
import Foundation
import Testing

@Suite("Event log")
struct EventLogTests {
    static func event(_ workspace: Int64, _ messageId: String, at ms: Int64 = 1_800_000_000_000) -> Event {
        Event(workspaceId: workspace, messageId: messageId, type: .track, event: "Order Completed",
              userId: "u1", properties: ["revenue": 12.5, "products": [["sku": "A"]]],
              context: ["ip": "1.2.3.4"], timestamp: Date(epochMilliseconds: ms),
              receivedAt: Date(epochMilliseconds: ms))
    }

    @Test("events are stored once per workspace and message id, in order", arguments: TestDatabase.engines)
    func deduplicates(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            let batch = [Self.event(1, "a"), Self.event(1, "b"), Self.event(1, "a"), Self.event(2, "a")]

            let first = try await store.appendEvents(batch)
            let again = try await store.appendEvents(batch)

            #expect(first[0] != nil && first[1] != nil && first[3] != nil)
            #expect(first[2] == nil)
            #expect(first[0]! < first[1]! && first[1]! < first[3]!)
            #expect(again.allSatisfy { $0 == nil })
        }
    }

    @Test("events across many months land in the log", arguments: TestDatabase.engines)
    func manyMonths(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            let month: Int64 = 31 * 86_400_000
            let events = (0..<30).map { Self.event(1, "m\($0)", at: 1_700_000_000_000 + Int64($0) * month) }
                + [Self.event(1, "ancient", at: -5_000_000_000_000)]

            let ids = try await store.appendEvents(events)

            #expect(ids.compactMap { $0 }.count == 31)
        }
    }
}
