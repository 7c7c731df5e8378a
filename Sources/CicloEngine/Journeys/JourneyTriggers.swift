import CicloCore
import CicloStore
import Foundation

/// Reacts to a profile batch inside its transaction: enrols people whose events trigger active journeys, wakes
/// enrolments waiting for those events, converts those that reach their goal, and runs their first steps at once,
/// so the trigger and the messages it queues commit together.
public struct JourneyTriggers: Sendable {
    let store: Store
    let clock: any CicloClock
    let runner: JourneyRunner
    /// Events older than this (by their own time) never trigger: a backfill must not message people about the past.
    public static let freshness: Int64 = 24 * 3_600_000

    public init(store: Store, clock: any CicloClock = SystemClock()) {
        self.store = store
        self.clock = clock
        self.runner = JourneyRunner(store: store, definitions: JourneyDefinitionCache(store: store))
    }

    public var hook: ProfileProcessor.BatchHook {
        { result, session in try await self.apply(result, session) }
    }

    func apply(_ result: ProfileBatchResult, _ session: DatabaseSession) async throws {
        let journeys = try await store.journeys(workspaceId: result.workspaceId).filter { $0.status == .active }
        guard !journeys.isEmpty, !result.events.isEmpty else { return }
        let now = clock.now().epochMilliseconds
        let ws = result.workspaceId
        let byId = Dictionary(uniqueKeysWithValues: journeys.map { ($0.id, $0) })
        let people = Array(Set(result.events.compactMap(\.profileId)))
        var active = Dictionary(grouping: try await Store.activeEnrolments(in: session, workspaceId: ws, profileIds: people), by: \.profileId)
        var runs: [Int64: (Enrolment, WakeReason)] = [:]

        for event in result.events {
            guard let profile = event.profileId else { continue }
            for enrolment in active[profile] ?? [] {
                guard let journey = byId[enrolment.journeyId],
                      let definition = try await runner.definitions.definition(journeyId: enrolment.journeyId, version: enrolment.version)
                else { continue }
                if let revenue = definition.goal?.reached(by: event, trigger: enrolment.trigger, enteredAt: enrolment.enteredAt) {
                    try await Store.convert(in: session, workspaceId: ws, enrolment, revenue: revenue, now: now)
                    active[profile]?.removeAll { $0.id == enrolment.id }
                    runs.removeValue(forKey: enrolment.id)
                } else if enrolment.waiting, enrolment.waitEvent == event.event, journey.status == .active {
                    runs[enrolment.id] = (enrolment, .event(event))
                } else if (definition.exitWhen != nil || definition.goal.map({ if case .condition = $0 { true } else { false } }) == true),
                          runs[enrolment.id] == nil {
                    runs[enrolment.id] = (enrolment, .time)  // exit rules and condition goals are checked on every advance
                }
            }
        }

        let fresh = result.events.filter { $0.timestamp.epochMilliseconds >= now - Self.freshness }
        for journey in journeys {
            let firing = fresh.filter { journey.definition.trigger.fires(on: $0) && $0.profileId != nil }
            guard !firing.isEmpty else { continue }
            let candidates = Array(Set(firing.compactMap(\.profileId)))
            let last = try await Store.lastEntries(in: session, journeyId: journey.id, profileIds: candidates)
            let eligible = try await entryConditionHolds(journey.definition, candidates, result, session, now)
            var entered = Set<Int64>()
            for event in firing {
                guard let profile = event.profileId, !entered.contains(profile), eligible.contains(profile),
                      journey.definition.entry.allows(lastEntered: last[profile], now: now),
                      let enrolment = try await Store.enrol(in: session, workspaceId: ws, journeyId: journey.id, version: journey.version,
                                                            start: journey.definition.start, profileId: profile,
                                                            trigger: event.properties, now: now) else { continue }
                entered.insert(profile)
                runs[enrolment.id] = (enrolment, .time)
            }
        }
        try await runner.run(in: session, workspaceId: ws, Array(runs.values), now: now)
    }

    /// The candidates that pass the journey's entry condition (everyone when it has none).
    func entryConditionHolds(_ definition: JourneyDefinition, _ candidates: [Int64], _ result: ProfileBatchResult,
                             _ session: DatabaseSession, _ now: Int64) async throws -> Set<Int64> {
        guard let condition = definition.entry.condition else { return Set(candidates) }
        let profiles = try await Store.profiles(in: session, workspaceId: result.workspaceId, ids: candidates)
        let history = try await Store.relevantHistory(session, workspaceId: result.workspaceId, profileIds: candidates, names: condition.eventNames)
        let segments = try await Store.memberships(session, workspaceId: result.workspaceId, profileIds: candidates)
        return Set(profiles.filter {
            ConditionEvaluator.evaluate(condition, ConditionContext(profile: $0, history: history[$0.id] ?? [], segments: segments[$0.id] ?? [], now: now)).matches
        }.map(\.id))
    }
}
