import CicloCore
import CicloEngine
import CicloStore
import Foundation

extension LoyaltyBenchmark {
    /// `count` people, each from one `identify`, processed into profiles; returns their ids.
    static func createMembers(_ count: Int, store: Store, workspaceId: Int64, clock: ManualClock) async throws -> [Int64] {
        let at = clock.now()
        for start in stride(from: 0, to: count, by: 10_000) {
            let events = (start..<min(count, start + 10_000)).map { i in
                Event(workspaceId: workspaceId, messageId: "member-\(i)", type: .identify, userId: "member-\(i)",
                      traits: ["email": .string("member-\(i)@example.com")], timestamp: at, receivedAt: at)
            }
            _ = try await store.appendEvents(events)
        }
        try await ProfileProcessor(store: store, clock: clock, logger: CommandLogging.quiet).catchUp(workspaceId: workspaceId)
        return try await store.liveProfileIds(workspaceId: workspaceId, limit: count)
    }
}
