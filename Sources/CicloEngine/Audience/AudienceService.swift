import CicloCore
import CicloStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// The background work behind live audiences: re-checks people whose time windows lapse, a periodic full
/// recompute that reconciles everything set-based, and the daily RFM scoring.
public actor AudienceService: Service {
    let store: Store
    let live: LiveAudience
    let clock: any CicloClock
    let logger: Logger
    let tick: Duration
    let sweepEvery: TimeInterval
    let rfmEvery: TimeInterval
    private let holder = UUID().uuidString
    private var lastSweep: [Int64: Date] = [:]
    private var lastRFM: [Int64: Date] = [:]
    private var lastPredictionCheck: [Int64: Date] = [:]
    /// When the loyalty jobs (maturing, expiry, tiers, birthdays, referrals) last ran per workspace; they are idempotent.
    private var lastLoyalty: [Int64: Date] = [:]
    /// How often the prediction models are refitted and everyone rescored.
    let predictEvery: TimeInterval

    /// Creates the service.
    public init(store: Store, clock: any CicloClock = SystemClock(), logger: Logger = Logger(label: "ciclo.audience"),
                tick: Duration = .seconds(2), sweepEvery: TimeInterval = 900, rfmEvery: TimeInterval = 86_400,
                predictEvery: TimeInterval = 86_400) {
        self.predictEvery = predictEvery
        self.store = store
        self.live = LiveAudience(store: store, clock: clock)
        self.clock = clock
        self.logger = logger
        self.tick = tick
        self.sweepEvery = sweepEvery
        self.rfmEvery = rfmEvery
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.round()
                try? await Task.sleep(for: self.tick)
            }
        }
        await LeaseRelease.giveUp(store: store, holder: holder, logger: logger)
    }

    /// One pass over every workspace this process holds the lease for. Each job of each workspace runs on its own:
    /// one that fails is logged and counted (`ciclo_job_failures_total`) and retried next round, and the others go on.
    func round() async {
        let workspaces: [Workspace]
        do {
            workspaces = try await store.workspaces()
        } catch {
            logger.error("audience maintenance cannot list workspaces; retrying", metadata: ["error": "\(error)"])
            return
        }
        for workspace in workspaces where !Task.isCancelled {
            do {
                guard try await store.acquireLease("audience:\(workspace.id)", holder: holder, seconds: 60) else { continue }
            } catch {
                logger.error("audience lease failed", metadata: ["workspace": "\(workspace.name)", "error": "\(error)"])
                continue
            }
            await job("rechecks", workspace) { while try await self.live.recheckDue(workspaceId: workspace.id) > 0, !Task.isCancelled {} }
            await job("analytics rollup", workspace) { try await AnalyticsRollup(store: self.store).refresh(workspaceId: workspace.id) }
            let now = clock.now()
            // Whole-workspace jobs wait until the profile processor has caught up: RFM, predictions, training and the
            // reconcile run on a demo, an import or a rebuild only once all of it is applied, never on part of it.
            guard await caughtUp(workspace) else { continue }
            if now.timeIntervalSince(lastRFM[workspace.id] ?? .distantPast) >= rfmEvery {
                lastRFM[workspace.id] = now
                await job("rfm", workspace) {
                    let report = try await self.store.runRFM(workspaceId: workspace.id)
                    self.logger.info("RFM scored", metadata: ["workspace": "\(workspace.name)", "customers": "\(report.customers)"])
                    await self.reconcileSoon(workspace.id)  // scores changed: reconcile everything that reads them
                }
            }
            if now.timeIntervalSince(lastPredictionCheck[workspace.id] ?? .distantPast) >= 3_600 {
                lastPredictionCheck[workspace.id] = now
                await job("predictions", workspace) { try await self.predictIfDue(workspace, now: now) }
            }
            await job("recommendations", workspace) { try await self.retrainRecommendationsIfDue(workspace, now: now) }
            if now.timeIntervalSince(lastLoyalty[workspace.id] ?? .distantPast) >= 3_600 {
                lastLoyalty[workspace.id] = now
                await job("loyalty", workspace) {
                    let report = try await self.store.runLoyaltyJobs(workspaceId: workspace.id)
                    if report != LoyaltyJobReport() { self.logger.info("loyalty jobs ran", metadata: ["workspace": "\(workspace.name)", "report": "\(report)"]) }
                }
            }
            if now.timeIntervalSince(lastSweep[workspace.id] ?? .distantPast) >= sweepEvery {
                lastSweep[workspace.id] = now
                await job("reconcile", workspace) {
                    try await self.store.installReadyMadeSegments(workspaceId: workspace.id)
                    let report = try await self.store.recomputeAudience(workspaceId: workspace.id)
                    self.logger.info("audience reconciled", metadata: ["workspace": "\(workspace.name)", "seconds": "\(report.seconds)"])
                }
            }
        }
    }

    func reconcileSoon(_ workspaceId: Int64) { lastSweep[workspaceId] = .distantPast }

    /// The most unprocessed events at which the whole-workspace jobs still run (a live shop always has a few in flight).
    static let caughtUpBelow = 1_000

    /// True when the profile processor is (nearly) caught up with the workspace's log.
    func caughtUp(_ workspace: Workspace) async -> Bool {
        do {
            return try await store.profileLag(workspaceId: workspace.id).events < Self.caughtUpBelow
        } catch is CancellationError {
            return false  // shutting down: not a failure to report
        } catch {
            logger.error("profile lag unknown; whole-workspace jobs wait", metadata: ["workspace": "\(workspace.name)", "error": "\(error)"])
            return false
        }
    }

    /// Runs one job of one workspace, logging and counting a failure instead of letting it stop the others.
    private func job(_ name: String, _ workspace: Workspace, _ body: @Sendable () async throws -> Void) async {
        do {
            try await body()
        } catch is CancellationError {
        } catch {
            logger.error("\(name) failed; retrying next round", metadata: ["workspace": "\(workspace.name)", "error": "\(error)"])
            Counter(label: "ciclo_job_failures_total", dimensions: [("job", name)]).increment()
        }
    }

    /// Refits and rescores once a day (the last run is in the database, so restarts do not rerun it); the round only
    /// calls it once the profile processor has caught up, so a fresh import is scored whole.
    func predictIfDue(_ workspace: Workspace, now: Date) async throws {
        if let last = try await store.predictionRuns(workspaceId: workspace.id, limit: 1).first,
           now.timeIntervalSince(Date(epochMilliseconds: last.createdAt)) < predictEvery { return }
        do {
            let report = try await PredictionRunner(store: store, logger: logger).run(workspaceId: workspace.id, asOf: now)
            logger.info("predictions refreshed", metadata: ["workspace": "\(workspace.name)", "customers": "\(report.run.customers)"])
        } catch let error as CicloError where error.kind == .badRequest {
            logger.info("predictions skipped", metadata: ["workspace": "\(workspace.name)", "reason": "\(error.message)"])
        }
    }

    /// Retrains the recommendation models once a day (the last training time is in the database, so restarts do not
    /// rerun it), only for workspaces with product events, so new products get neighbours at the next refresh.
    func retrainRecommendationsIfDue(_ workspace: Workspace, now: Date) async throws {
        if let model = try await store.recommendationModel(workspaceId: workspace.id),
           now.timeIntervalSince(Date(epochMilliseconds: model.trainedAt)) < 86_400 { return }
        let report = try await RecommendationTrainer(store: store).train(workspaceId: workspace.id)
        if report.interactions > 0 {
            logger.info("recommendations trained", metadata: ["workspace": "\(workspace.name)", "products": "\(report.products)"])
        }
    }
}
