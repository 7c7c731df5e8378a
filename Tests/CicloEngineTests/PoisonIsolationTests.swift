import CicloCore
import CicloStore
import CicloTesting
import Foundation
import Synchronization
import Testing

@testable import CicloEngine

/// The one mechanism every consumer uses to get past an item that fails on its own.
@Suite("Poison isolation: one bad item is set aside, everything else goes through")
struct PoisonIsolationTests {
    /// A queue of items where some fail whenever they are in the batch; `attempt(n)` takes the first n or fails.
    final class Queue: Sendable {
        let state: Mutex<(items: [Int], done: [Int], setAside: [Int])>
        let poison: Set<Int>
        init(_ items: [Int], poison: Set<Int>) {
            state = Mutex((items, [], []))
            self.poison = poison
        }
        func attempt(_ n: Int) throws -> Int {
            try state.withLock { s in
                let batch = Array(s.items.prefix(n))
                if let bad = batch.first(where: poison.contains) { throw CicloError.badRequest("bad_item", "item \(bad) is broken") }
                s.done += batch
                s.items.removeFirst(batch.count)
                return batch.count
            }
        }
        func setAside() -> Bool {
            state.withLock { s in
                guard let first = s.items.first else { return false }
                s.setAside.append(first)
                s.items.removeFirst()
                return true
            }
        }
    }

    @Test("items 7 and 8 of 20 fail: both are set aside, the other 18 are done in order")
    func isolates() async throws {
        try await TestDatabase.withStore(.sqlite) { store in
            let queue = Queue(Array(0..<20), poison: [7, 8])
            let isolation = PoisonIsolation(store: store, logger: TestDatabase.quietLogger, stage: .profiles, budget: SetAsideBudget())
            while try await isolation.run(limit: 16, { try queue.attempt($0) }, setAside: { _ in queue.setAside() }) > 0 {}
            let s = queue.state.withLock { $0 }
            #expect(s.setAside == [7, 8])
            #expect(s.done == Array(0..<20).filter { $0 != 7 && $0 != 8 })
        }
    }

    @Test("a transient failure is rethrown and sets nothing aside")
    func transient() async throws {
        try await TestDatabase.withStore(.sqlite) { store in
            let isolation = PoisonIsolation(store: store, logger: TestDatabase.quietLogger, stage: .journeys, budget: SetAsideBudget())
            let calls = Mutex(0)
            await #expect(throws: CicloError.self) {
                _ = try await isolation.run(limit: 8, { _ in
                    calls.withLock { $0 += 1 }
                    throw CicloError(.unavailable, code: "database_unavailable", "down")
                }, setAside: { _ in Issue.record("set aside on a transient error"); return true })
            }
            #expect(calls.withLock { $0 } == 1)
        }
    }

    @Test("when every item fails, the budget stops setting them aside: a broken step keeps its items")
    func budget() async throws {
        try await TestDatabase.withStore(.sqlite) { store in
            let queue = Queue(Array(0..<30), poison: Set(0..<30))
            let isolation = PoisonIsolation(store: store, logger: TestDatabase.quietLogger, stage: .profiles, budget: SetAsideBudget(limit: 5))
            var thrown = false
            do {
                while try await isolation.run(limit: 4, { try queue.attempt($0) }, setAside: { _ in queue.setAside() }) > 0 {}
            } catch {
                thrown = true
            }
            #expect(thrown)
            #expect(queue.state.withLock { $0.setAside.count } == 5)
            #expect(queue.state.withLock { $0.items.count } == 25, "the rest wait for the fault to be fixed")
        }
    }
}
