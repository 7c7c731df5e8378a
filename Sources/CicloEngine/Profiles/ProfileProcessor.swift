import CicloCore
import CicloStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Applies the event log to profiles in order, per workspace, in batches: resolves identities, merges, folds traits
/// and computed attributes, and commits the changes together with the cursor, so a crash never applies an event
/// twice or skips one.
public actor ProfileProcessor: Service {
    /// Something that must change in the same transaction as the profiles a batch touched (segments, journeys).
    public typealias BatchHook = @Sendable (ProfileBatchResult, DatabaseSession) async throws -> Void

    let store: Store
    let clock: any CicloClock
    let logger: Logger
    let batchSize: Int
    let pollInterval: Duration
    var pacing: BatchPacing
    private let holder = UUID().uuidString
    let setAsideBudget = SetAsideBudget()
    var hooks: [BatchHook] = []
    /// Time spent per phase since the processor was created.
    public internal(set) var phases = ProcessingPhases()
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    let processedCounter = Counter(label: "ciclo_profile_events_processed_total")
    let mergeCounter = Counter(label: "ciclo_profile_merges_total")
    let lagEvents = Gauge(label: "ciclo_profile_lag_events")
    let lagSeconds = Gauge(label: "ciclo_profile_lag_seconds")

    /// Creates a processor.
    public init(store: Store, clock: any CicloClock = SystemClock(), logger: Logger = Logger(label: "ciclo.profiles"),
                batchSize: Int = 5_000, pollInterval: Duration = .milliseconds(250),
                transactionBudget: Duration? = .milliseconds(150), hooks: [BatchHook] = []) {
        self.store = store
        self.hooks = hooks
        self.clock = clock
        self.logger = logger
        self.batchSize = batchSize
        // No budget: every batch is `batchSize` (tests that compare one batch with one event at a time).
        pacing = BatchPacing(maximum: batchSize, minimum: transactionBudget == nil ? batchSize : 100,
                             budget: transactionBudget ?? .seconds(3_600))
        self.pollInterval = pollInterval
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds a hook run inside each batch's transaction.
    public func addHook(_ hook: @escaping BatchHook) { hooks.append(hook) }

    /// Asks the processor to look for new events now (the ingest writer calls this after each commit).
    public nonisolated func nudge() { wake.yield() }

    /// Processes until graceful shutdown: after every nudge, and every poll interval for events other processes wrote.
    public func run() async throws {
        let poll = pollInterval
        let ticker = Task { [wake] in
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                wake.yield()
            }
        }
        defer { ticker.cancel() }
        await cancelWhenGracefulShutdown {
            for await _ in self.wakeups {
                if Task.isCancelled { break }
                await self.processAllWorkspaces()
            }
        }
        await LeaseRelease.giveUp(store: store, holder: holder, logger: logger)
    }

    private func processAllWorkspaces() async {
        do {
            for workspace in try await store.workspaces() {
                guard try await store.acquireLease("profiles:\(workspace.id)", holder: holder, seconds: 30) else { continue }
                // Renewed after every batch, so a long catch-up never outlives its lease.
                while !Task.isCancelled, try await processBatch(workspaceId: workspace.id) > 0,
                      try await store.acquireLease("profiles:\(workspace.id)", holder: holder, seconds: 30) {}
                try await reportLag(workspaceId: workspace.id)
            }
        } catch is CancellationError {
        } catch {
            logger.error("profile processing failed; retrying", metadata: ["error": "\(error)"])
        }
    }

    /// Processes every pending event of a workspace and returns how many were applied.
    @discardableResult
    public func catchUp(workspaceId: Int64) async throws -> Int {
        var total = 0
        while true {
            let n = try await processBatch(workspaceId: workspaceId)
            if n == 0 { return total }
            total += n
        }
    }

    /// Applies the next batch of a workspace; returns the number of events it covered (0 when caught up). An event
    /// that fails on its own every time is set aside as a dead letter (stage `profiles`) and processing goes on.
    public func processBatch(workspaceId: Int64) async throws -> Int {
        // 0 must mean caught up, so a lost race is retried (another writer got there first: read again) rather than
        // reported as "nothing to do"; only a cursor that keeps moving for seconds is an error.
        for attempt in 1...200 {
            do {
                return try await isolatingPoison(workspaceId: workspaceId)
            } catch let error as CicloError where error.code == "profile_cursor_moved" && attempt < 200 {
                try await Task.sleep(for: .milliseconds(min(50, attempt * 2)))
            }
        }
        return 0
    }

    private func isolatingPoison(workspaceId: Int64) async throws -> Int {
        let isolation = PoisonIsolation(store: store, logger: logger, stage: .profiles, budget: setAsideBudget)
        // Pacing is for SQLite's one writer while someone needs it promptly (tracking is arriving); on PostgreSQL, or
        // in a catch-up nobody waits behind, small batches only add overhead (5,000 against paced ones: 17 % faster).
        let contended = store.dialect == .sqlite && store.database.foregroundWritesRecently(within: .seconds(2))
        let limit = contended ? pacing.next : batchSize
        return try await isolation.run(limit: limit, { limit in
            let cursor = try await self.store.profileCursor(workspaceId: workspaceId)
            do {
                return try await self.attemptBatch(workspaceId: workspaceId, cursor: cursor, limit: limit)
            } catch {
                throw BatchFailure(cursorVersion: cursor.version, underlying: error)
            }
        }, setAside: { error in
            // The event after the cursor the failing attempt started from: if the cursor has moved since, this is not
            // the event that failed, and nothing is set aside.
            guard let version = (error as? BatchFailure)?.cursorVersion,
                  try await self.store.setAsideNextEvent(workspaceId: workspaceId, expectedVersion: version, error: "\(error)") != nil else {
                // Another processor moved on meanwhile (perhaps setting the same event aside): read again.
                throw CicloError.conflict("profile_cursor_moved", "Profiles changed while an event was being set aside.")
            }
            return true
        })
    }
}
