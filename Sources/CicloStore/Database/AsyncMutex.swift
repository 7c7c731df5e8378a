import CicloCore
import Synchronization

/// How urgently a transaction needs the SQLite writer: someone is waiting for a `foreground` one (an acknowledgement, a
/// page), while `background` work (profile batches, journeys, delivery) only has to keep up.
public enum WritePriority: Sendable {
    case foreground
    case background
}

/// A lock for async code, so one SQLite writer runs one transaction at a time: first come first served within a
/// priority, and a waiting foreground transaction always goes before waiting background ones.
actor AsyncMutex {
    /// When a foreground transaction last asked for the lock, in nanoseconds since `epoch`; background work reads it
    /// without waiting for the actor to decide whether anyone is being kept waiting.
    nonisolated let lastForeground = Atomic<Int64>(Int64.min)
    nonisolated let epoch = ContinuousClock.now
    private var locked = false
    private var foreground: [CheckedContinuation<Void, Never>] = []
    private var background: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` while holding the lock.
    nonisolated func withLock<T: Sendable>(priority: WritePriority = .foreground,
                                           _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(priority)
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    /// True when a foreground transaction asked for the lock within `window`.
    nonisolated func foregroundAsked(within window: Duration) -> Bool {
        let last = lastForeground.load(ordering: .relaxed)
        guard last != Int64.min else { return false }
        let now = (ContinuousClock.now - epoch).saturatingNanoseconds
        return now.subtractingReportingOverflow(last).partialValue <= window.saturatingNanoseconds
    }

    private func acquire(_ priority: WritePriority) async {
        if priority == .foreground { lastForeground.store((ContinuousClock.now - epoch).saturatingNanoseconds, ordering: .relaxed) }
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { continuation in
            switch priority {
            case .foreground: foreground.append(continuation)
            case .background: background.append(continuation)
            }
        }
    }

    private func release() {
        // Hand the lock straight to the next waiter; it stays locked.
        if !foreground.isEmpty {
            foreground.removeFirst().resume()
        } else if !background.isEmpty {
            background.removeFirst().resume()
        } else {
            locked = false
        }
    }
}
