import CicloCore
import CicloStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// The single writer of the event log: groups the events of many concurrent requests into one transaction,
/// and answers each request only after its events are committed.
public actor IngestWriter: Service {
    /// How the writer batches and when it pushes back.
    public struct Configuration: Sendable {
        /// Most events written in one transaction.
        public var maxBatchEvents: Int
        /// Events waiting beyond this get `overloaded` (HTTP 429) instead of growing memory without bound.
        public var maxQueuedEvents: Int
        /// How long a small batch waits for company before it is written.
        public var linger: Duration

        /// Creates a configuration; the defaults suit one machine.
        public init(maxBatchEvents: Int = 5_000, maxQueuedEvents: Int = 100_000, linger: Duration = .milliseconds(2)) {
            self.maxBatchEvents = maxBatchEvents
            self.maxQueuedEvents = maxQueuedEvents
            self.linger = linger
        }
    }

    private struct Pending {
        var events: [Event]
        var continuation: CheckedContinuation<[Int64?], any Error>
    }

    private let store: Store
    private let configuration: Configuration
    private let logger: Logger
    private var queue: [Pending] = []
    private var queuedEvents = 0
    private var accepting = true
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let afterCommit: @Sendable () -> Void

    private let storedCounter = Counter(label: "ciclo_ingest_events_stored_total")
    private let duplicateCounter = Counter(label: "ciclo_ingest_events_duplicate_total")
    private let overloadCounter = Counter(label: "ciclo_ingest_overloaded_total")
    private let commitTimer = Metrics.Timer(label: "ciclo_ingest_commit_seconds")
    private let queueGauge = Gauge(label: "ciclo_ingest_queued_events")

    /// Creates a writer over `store`.
    public init(store: Store, configuration: Configuration = .init(), logger: Logger = Logger(label: "ciclo.ingest"),
                afterCommit: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.afterCommit = afterCommit
        self.configuration = configuration
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `events` and returns, once committed, each one's log id (nil for a duplicate `messageId`).
    public func submit(_ events: [Event]) async throws -> [Int64?] {
        guard !events.isEmpty else { return [] }
        guard accepting else {
            throw CicloError(.unavailable, code: "shutting_down", "Ciclo is shutting down; retry shortly.")
        }
        guard queuedEvents + events.count <= configuration.maxQueuedEvents else {
            overloadCounter.increment()
            throw CicloError(.tooManyRequests, code: "overloaded",
                "Ciclo is writing as fast as it can; retry after a short pause.")
        }
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(events: events, continuation: continuation))
            queuedEvents += events.count
            queueGauge.record(queuedEvents)
            wake.yield()
        }
    }

    /// Writes until graceful shutdown, then stops accepting and flushes what was accepted.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                await drain()
                if !accepting { break }
            }
            await drain()
        } onGracefulShutdown: {
            Task { await self.stopAccepting() }
        }
    }

    private func stopAccepting() {
        accepting = false
        wake.yield()
        wake.finish()
    }

    private func drain() async {
        while !queue.isEmpty {
            if queuedEvents < configuration.maxBatchEvents / 10 {
                // A short linger lets concurrent requests share the next transaction.
                try? await Task.sleep(for: configuration.linger)
            }
            var batch: [Pending] = []
            var count = 0
            while let next = queue.first, batch.isEmpty || count + next.events.count <= configuration.maxBatchEvents {
                batch.append(queue.removeFirst())
                count += next.events.count
            }
            queuedEvents -= count
            queueGauge.record(queuedEvents)
            await write(batch)
        }
    }

    private func write(_ batch: [Pending]) async {
        let events = batch.flatMap(\.events)
        let started = ContinuousClock.now
        do {
            let ids = try await store.appendEvents(events)
            commitTimer.recordInterval(since: started)
            let stored = ids.count(where: { $0 != nil })
            storedCounter.increment(by: stored)
            duplicateCounter.increment(by: ids.count - stored)
            var offset = 0
            for pending in batch {
                pending.continuation.resume(returning: Array(ids[offset..<offset + pending.events.count]))
                offset += pending.events.count
            }
            afterCommit()  // consumers of the log wake at once instead of waiting for their poll
        } catch {
            logger.error("event log write failed", metadata: ["error": "\(error)", "events": "\(events.count)"])
            let failure = CicloError(.unavailable, code: "storage_unavailable",
                "The events could not be stored right now; retry.")
            for pending in batch { pending.continuation.resume(throwing: failure) }
        }
    }
}

extension Metrics.Timer {
    /// Records the time elapsed since `start`.
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.saturatingNanoseconds)
    }
}
