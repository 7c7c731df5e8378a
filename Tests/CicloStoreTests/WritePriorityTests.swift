@testable import CicloStore
import Synchronization
import Testing

/// On SQLite's one writer, a transaction someone waits for (an ingest acknowledgement) goes before background ones
/// that queued earlier, and within a priority the order is first come, first served.
@Suite("Write priority")
struct WritePriorityTests {
    @Test("a waiting foreground transaction runs before background ones queued before it")
    func foregroundFirst() async throws {
        let lock = AsyncMutex()
        let order = RunOrder()
        let (holding, held) = AsyncStream.makeStream(of: Void.self)
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await lock.withLock(priority: .background) {
                held.yield()
                for await _ in released { break }
            }
        }
        for await _ in holding { break }
        var waiters: [Task<Void, any Error>] = []
        for name in ["background 1", "background 2", "foreground 1", "foreground 2"] {
            let priority: WritePriority = name.hasPrefix("foreground") ? .foreground : .background
            waiters.append(Task { try await lock.withLock(priority: priority) { order.names.withLock { $0.append(name) } } })
            // Each waiter must be queued before the next one starts, so the arrival order is the one written here.
            try await Task.sleep(for: .milliseconds(50))
        }
        release.yield()
        try await holder.value
        for waiter in waiters { try await waiter.value }
        #expect(order.names.withLock { $0 } == ["foreground 1", "foreground 2", "background 1", "background 2"])
    }
}

/// The order the transactions ran in, shared by the tasks that ran them.
private final class RunOrder: Sendable {
    let names = Mutex<[String]>([])
}
