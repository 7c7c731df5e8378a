import CicloCore
import CicloStore
import CicloTesting
import Foundation
import SQLKit
import Testing

@testable import CicloEngine

/// Issue 18, point 5: whole-workspace jobs (RFM first of all) wait for the profile processor, so a demo or an import
/// is scored whole, never on the part processed so far.
@Suite("Start-up in order: RFM and the other whole-workspace jobs wait for profile processing")
struct StartupOrderTests {
    @Test("with 1,000 or more events unprocessed nobody is scored; once caught up, every customer is", arguments: TestDatabase.engines)
    func rfmWaits(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            let events = (0..<1_600).map { i in
                Event(workspaceId: ws, messageId: "m\(i)", type: .track, event: "Order Completed", userId: "c\(i % 400)",
                      properties: ["order_id": .string("o\(i)"), "revenue": .int(Int64(10 + i % 90))],
                      timestamp: start.addingTimeInterval(Double(i) * 600), receivedAt: start)
            }
            _ = try await store.appendEvents(events)
            let processor = ProfileProcessor(store: store, logger: TestDatabase.quietLogger, batchSize: 500)
            _ = try await processor.processBatch(workspaceId: ws)  // 500 of 1,600 applied: the import is under way
            let audience = AudienceService(store: store, logger: TestDatabase.quietLogger)
            await audience.round()
            #expect(try await Self.scored(store, ws) == 0, "RFM waits while 1,100 events are still to be applied")
            try await processor.catchUp(workspaceId: ws)
            await audience.round()
            #expect(try await Self.scored(store, ws) == 400, "then every customer is scored at once")
        }
    }

    static func scored(_ store: Store, _ ws: Int64) async throws -> Int {
        try await store.database.read { session in
            try await session.sql.raw("SELECT COUNT(*) AS n FROM profiles WHERE workspace_id = \(bind: ws) AND rfm_segment IS NOT NULL")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
