import CicloCore
import CicloStore
import CicloTesting
import Foundation
import Testing

@testable import CicloEngine

/// Paced batches are for a writer someone is waiting for: while tracking arrives (a foreground write within the last
/// two seconds) a slow batch shrinks the next, and in a catch-up nobody waits behind, batches stay full size.
@Suite("Batch pacing follows contention for the SQLite writer")
struct BatchPacingContentionTests {
    @Test("a slow batch shrinks the next while writes are arriving, not once they have stopped")
    func pacedOnlyWhenContended() async throws {
        try await TestDatabase.withStore(.sqlite) { store in
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            // Each batch holds the writer 200 ms against a 50 ms budget, so pacing wants about a quarter of it.
            let slow: ProfileProcessor.BatchHook = { _, _ in try await Task.sleep(for: .milliseconds(200)) }
            let processor = ProfileProcessor(store: store, logger: TestDatabase.quietLogger, batchSize: 1_000,
                                             transactionBudget: .milliseconds(50), hooks: [slow])
            let start = Date(timeIntervalSince1970: 1_780_000_000)
            let events = (0..<4_000).map { i in
                Event(workspaceId: ws, messageId: "m\(i)", type: .track, event: "Product Viewed", userId: "u\(i % 300)",
                      timestamp: start.addingTimeInterval(Double(i)), receivedAt: start.addingTimeInterval(Double(i)))
            }
            // Setup: appends are foreground writes, so the writer counts as wanted for two seconds after each.
            _ = try await store.appendEvents(Array(events.dropLast()))
            let first = try await processor.processBatch(workspaceId: ws)
            _ = try await store.appendEvents([events[events.count - 1]])
            let paced = try await processor.processBatch(workspaceId: ws)
            // Action: no one writes for longer than the window.
            try await Task.sleep(for: .milliseconds(2_200))
            let full = try await processor.processBatch(workspaceId: ws)
            // Check.
            #expect(first == 1_000, "the first batch is full size before anything was measured")
            #expect(paced < 1_000, "a slow batch while writes arrive shrinks the next: \(paced)")
            #expect(full == min(1_000, 4_000 - first - paced), "with no one waiting the batch is full size again: \(full)")
        }
    }
}
