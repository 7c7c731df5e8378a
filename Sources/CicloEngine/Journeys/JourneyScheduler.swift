import CicloCore
import CicloStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Runs enrolments whose time has come (waits ending, timeouts, quiet hours lifting), claims them in batches
/// so several processes can share the work, and enrols people on date, anniversary and scheduled triggers.
public actor JourneyScheduler: Service {
    let store: Store
    let clock: any CicloClock
    let logger: Logger
    let runner: JourneyRunner
    let batchSize: Int
    let interval: Duration
    private var lastSweep: [Int64: Date] = [:]
    private let stepsCounter = Counter(label: "ciclo_journey_enrolments_advanced_total")
    let setAsideBudget = SetAsideBudget()

    public init(store: Store, clock: any CicloClock = SystemClock(), logger: Logger = Logger(label: "ciclo.journeys"),
                batchSize: Int = 500, interval: Duration = .milliseconds(200)) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.runner = JourneyRunner(store: store, definitions: JourneyDefinitionCache(store: store))
        self.batchSize = batchSize
        self.interval = interval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await self.runDue() == self.batchSize, !Task.isCancelled {}
                    try await self.sweepScheduledTriggers()
                } catch is CancellationError {
                } catch {
                    self.logger.error("journey scheduling failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Claims and advances one batch of due enrolments; returns how many were claimed. An enrolment whose step fails
    /// on its own every time is ended as `failed` and set aside as a dead letter (stage `journeys`).
    @discardableResult
    public func runDue() async throws -> Int {
        let isolation = PoisonIsolation(store: store, logger: logger, stage: .journeys, budget: setAsideBudget)
        let now = clock.now().epochMilliseconds
        return try await isolation.run(limit: batchSize, { limit in try await self.runDue(limit: limit, now: now) }, setAside: { error in
            // Exactly the enrolment the failing attempt claimed alone.
            guard let failure = error as? BatchFailure, failure.items.count == 1, let workspaceId = failure.workspaceId else { return false }
            try await self.store.setAsideEnrolment(workspaceId: workspaceId, enrolmentId: failure.items[0], error: "\(error)")
            return true
        })
    }

    func runDue(limit: Int, now: Int64) async throws -> Int {
        let runner = self.runner
        let claimed = try await store.database.write(priority: .background) { session -> Int in
            let claimed = try await Store.claimDueEnrolments(in: session, now: now, limit: limit)
            var due: [(workspaceId: Int64, enrolment: Enrolment)] = []
            do {
                for (workspaceId, group) in Dictionary(grouping: claimed, by: \.workspaceId) {
                    // Holding claimed rows, never wait for a person: someone busy elsewhere is left due for the next round.
                    let free = try await Store.trySerialisePeople(in: session, workspaceId: workspaceId, profileIds: group.map(\.enrolment.profileId))
                    let runnable = group.filter { free.contains($0.enrolment.profileId) }
                    due += runnable
                    try await runner.run(in: session, workspaceId: workspaceId, runnable.map { ($0.enrolment, .time) }, now: now)
                }
            } catch {
                throw BatchFailure(workspaceId: due.first?.workspaceId, items: due.map(\.enrolment.id), underlying: error)
            }
            return due.count
        }
        stepsCounter.increment(by: claimed)
        return claimed
    }

    /// Enrols profiles in a journey by API (entry rules apply) and runs their first steps; returns those enrolled.
    public func enrol(workspaceId: Int64, journeyKey: String, profileIds: [Int64], properties: JSONValue = [:]) async throws -> [Int64] {
        guard let journey = try await store.journey(workspaceId: workspaceId, key: journeyKey) else { throw CicloError.notFound("Journey \(journeyKey)") }
        guard journey.status == .active else { throw CicloError.conflict("journey_not_active", "Journey \(journeyKey) is \(journey.status.rawValue); activate it first.") }
        return try await enrol(journey, workspaceId: workspaceId, profileIds: profileIds, properties: properties)
    }

    func enrol(_ journey: JourneyRecord, workspaceId: Int64, profileIds: [Int64], properties: JSONValue) async throws -> [Int64] {
        let now = clock.now().epochMilliseconds
        let runner = self.runner
        return try await store.database.write { session in
            try await Store.serialisePeople(in: session, workspaceId: workspaceId, profileIds: profileIds)
            let live = Set(try await Store.profiles(in: session, workspaceId: workspaceId, ids: profileIds).map(\.id))
            let last = try await Store.lastEntries(in: session, journeyId: journey.id, profileIds: Array(live))
            var runs: [(Enrolment, WakeReason)] = []
            for profile in profileIds.sorted() where live.contains(profile) && journey.definition.entry.allows(lastEntered: last[profile], now: now) {
                if let e = try await Store.enrol(in: session, workspaceId: workspaceId, journeyId: journey.id, version: journey.version,
                                                 start: journey.definition.start, profileId: profile, trigger: properties, now: now) {
                    runs.append((e, .time))
                }
            }
            try await runner.run(in: session, workspaceId: workspaceId, runs, now: now)
            return runs.map(\.0.profileId)
        }
    }

    /// Date, anniversary and scheduled-segment triggers, checked once an hour per workspace.
    func sweepScheduledTriggers() async throws {
        let now = clock.now()
        for workspace in try await store.workspaces() {
            guard now.timeIntervalSince(lastSweep[workspace.id] ?? .distantPast) >= 3_600 else { continue }
            lastSweep[workspace.id] = now
            try await sweep(workspace: workspace, now: now)
        }
    }

    /// Enrols everyone a date, anniversary or schedule trigger selects today (in the workspace's time zone).
    public func sweep(workspace: Workspace, now: Date) async throws {
        let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let dayStart = calendar.startOfDay(for: now)
        let dayEnd = calendar.date(byAdding: .day, value: 1, to: dayStart)!
        for journey in try await store.journeys(workspaceId: workspace.id) where journey.status == .active {
            var ids: Set<Int64> = []
            switch journey.definition.trigger {
            case .dateTrait(let trait, let offset):
                // The trait date plus the offset falls on today: the trait lies in [start − offset, end − offset).
                let from = dayStart.addingTimeInterval(-offset.seconds).epochMilliseconds, to = dayEnd.addingTimeInterval(-offset.seconds).epochMilliseconds
                ids = try await store.matchingProfileIds(workspaceId: workspace.id, condition: .all([
                    .trait(trait, ValueTest(.after, .string(ISO8601.format(Date(epochMilliseconds: from - 1))))),
                    .trait(trait, ValueTest(.before, .string(ISO8601.format(Date(epochMilliseconds: to))))),
                ]))
            case .anniversary(let trait):
                let parts = calendar.dateComponents([.month, .day], from: now)
                ids = try await store.profilesWithAnniversary(workspaceId: workspace.id, trait: trait, month: parts.month!, day: parts.day!)
            case .schedule(let segment, _):
                ids = try await store.matchingProfileIds(workspaceId: workspace.id, condition: .segment(segment))
            default: continue
            }
            var rule = journey
            if case .schedule(_, let every) = journey.definition.trigger, case .once = journey.definition.entry.frequency {
                rule.definition.entry.frequency = .oncePer(TimeSpan(seconds: every.seconds - 60))  // a schedule repeats by design
            }
            for chunk in Array(ids).sorted().chunked(into: 1_000) {
                _ = try await enrol(rule, workspaceId: workspace.id, profileIds: chunk, properties: ["trigger": "schedule"])
            }
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
