import CicloCore
import CicloStore
import CicloTesting
import Foundation
import Testing

@testable import CicloEngine

/// Issue 21, point 1: a stopping process gives its leases back, so the next one resumes at once instead of waiting
/// out the lease; a held lease is renewed and not taken by others meanwhile.
@Suite("Leases hand over on a graceful stop")
struct LeaseHandoverTests {
    @Test("a stopped profile processor releases its lease and a second one picks the work up at once", arguments: TestDatabase.engines)
    func handover(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            // Setup: a workspace with an event, and a first processor running.
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            let lease = "profiles:\(ws)"
            let first = ProfileProcessor(store: store, logger: TestDatabase.quietLogger, pollInterval: .milliseconds(20))
            let running = Task { try await first.run() }
            let holder = try await Self.eventually { try await store.leaseHolder(lease) }
            #expect(holder != nil, "the first processor holds the lease")

            // Action: it stops; a second starts and new events arrive.
            running.cancel()
            _ = try? await running.value
            #expect(try await store.leaseHolder(lease) == nil, "the lease was given back, not left to run out")
            let second = ProfileProcessor(store: store, logger: TestDatabase.quietLogger, pollInterval: .milliseconds(20))
            let resumed = Task { try await second.run() }
            let t = Date()
            _ = try await store.appendEvents([Event(workspaceId: ws, messageId: "m1", type: .identify, userId: "ada",
                                                    traits: ["email": "ada@example.com"], timestamp: t, receivedAt: t)])

            // Check: processed inside the 30-second lease the first one held (at once when the machine is idle).
            let lag = try await Self.eventually(seconds: 25) { try await store.profileLag(workspaceId: ws).events == 0 ? true : nil }
            #expect(lag == true && Date().timeIntervalSince(t) < 25)
            let newHolder = try await store.leaseHolder(lease)
            #expect(newHolder != nil && newHolder != holder)
            resumed.cancel()
            _ = try? await resumed.value
        }
    }

    static func eventually<T>(seconds: Double = 10, _ probe: () async throws -> T?) async throws -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await probe()
    }
}
