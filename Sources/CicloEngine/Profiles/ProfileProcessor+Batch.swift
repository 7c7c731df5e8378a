import CicloCore
import CicloStore
import Foundation
import Logging
import Metrics

extension ProfileProcessor {
    /// One optimistic round: read the cursor, events and graph; resolve in memory; write everything with the cursor.
    func attemptBatch(workspaceId: Int64, cursor: ProfileCursor, limit: Int) async throws -> Int {
        let t0 = ContinuousClock.now
        let events = try await store.events(workspaceId: workspaceId, after: cursor.lastEventId, limit: limit)
        let t1 = ContinuousClock.now
        guard let lastEventId = events.last?.id else { return 0 }
        let now = clock.now().epochMilliseconds
        if !hooks.isEmpty { try await store.prepareDerivedEvents() }

        let eventIdentifiers = events.map { $0.identifiers }
        var identifiers = Set<Identifier>()
        for (event, ids) in zip(events, eventIdentifiers) {
            identifiers.formUnion(ids)
            identifiers.formUnion(event.previousIdentifiers)
        }
        let blocked = try await store.suppressedIdentifiers(workspaceId: workspaceId, among: identifiers)
        var graph = try await store.identityGraph(workspaceId: workspaceId, for: identifiers, now: now)
        let t2 = ContinuousClock.now

        var assigned: [(event: Event, profile: Int64)] = []
        var derived: [(event: Event, profile: Int64)] = []
        var suppressed: [(eventId: Int64, identifier: Identifier)] = []
        for (event, ids) in zip(events, eventIdentifiers) {
            if event.isDerived, let profile = event.profileId {
                // Ciclo's own events already name their profile and say nothing new about the person.
                derived.append((event, profile))
                continue
            }
            if !blocked.isEmpty, let hit = (ids + event.previousIdentifiers).first(where: blocked.contains) {
                suppressed.append((event.id!, hit))
                continue
            }
            if let profile = graph.resolve(event, identifiers: ids) { assigned.append((event, profile)) }
        }
        assigned = assigned.map { ($0.event, graph.canonical($0.profile)) }
        let t25 = ContinuousClock.now
        try await recomputeMerged(&graph, assigned: assigned, workspaceId: workspaceId)

        let t3 = ContinuousClock.now
        let touched = graph.touched.filter { graph.profiles[$0] != nil }
        var write = ProfileBatchWrite(
            workspaceId: workspaceId, expectedVersion: cursor.version, lastEventId: lastEventId,
            profiles: touched.sorted().compactMap { graph.profiles[$0] },
            identifiersByProfile: Dictionary(uniqueKeysWithValues: touched.map { ($0, graph.identifiers(of: $0)) }),
            newIdentifiers: graph.newIdentifiers, merges: graph.merges, conflicts: graph.conflicts,
            assignments: assigned.map { ($0.event.id!, $0.event.timestamp.epochMilliseconds, $0.profile) },
            suppressed: suppressed, hourlyOrders: HourlyOrders.rollUp(graph.orderEffects))
        write.alsoActsOn = derived.map(\.profile)
        let hooks = self.hooks
        let finalGraph = graph
        let finalAssigned = assigned
        let finalDerived = derived
        try await store.applyProfileBatch(write) { session, outcome in
            guard !hooks.isEmpty else { return }
            var result = Self.result(workspaceId: workspaceId, assigned: finalAssigned, graph: finalGraph, outcome: outcome)
            result.events = (result.events + finalDerived.map { pair -> Event in
                var e = pair.event
                e.profileId = pair.profile
                return e
            }).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
            for hook in hooks { try await hook(result, session) }
        }
        let t4 = ContinuousClock.now
        pacing.observe(items: events.count, elapsed: t4 - t3)
        phases.add(read: t1 - t0, resolve: t25 - t1, recompute: t3 - t25, write: t4 - t3)
        logger.trace("profile batch", metadata: [
            "events": "\(events.count)", "profiles": "\(touched.count)", "merges": "\(graph.merges.count)",
            "read": "\(t1 - t0)", "graph": "\(t2 - t1)", "resolve": "\(t25 - t2)", "recompute": "\(t3 - t25)",
            "write": "\(t4 - t3)", "next": "\(pacing.next)",
        ])
        processedCounter.increment(by: events.count)
        mergeCounter.increment(by: graph.merges.count)
        return events.count
    }

    /// After a merge, the survivor's computed attributes are refolded from every event of everyone merged into it.
    private func recomputeMerged(_ graph: inout IdentityGraph, assigned: [(event: Event, profile: Int64)],
                                 workspaceId: Int64) async throws {
        for survivor in graph.needsRecompute.sorted() {
            var stored = graph.merges.filter { $0.from > 0 && graph.canonical($0.from) == survivor }.map(\.from)
            if survivor > 0 { stored.append(survivor) }
            let history = try await store.history(workspaceId: workspaceId, profileIds: stored)
            let batchEvents = assigned.filter { $0.profile == survivor }.map(\.event)
            let batchIds = Set(batchEvents.compactMap(\.id))
            let all = (history.filter { !batchIds.contains($0.id ?? -1) } + batchEvents)
                .sorted { ($0.timestamp, $0.id ?? 0) < ($1.timestamp, $1.id ?? 0) }
            var computed = ComputedAttributes()
            for event in all { computed.apply(event) }
            graph.replaceComputed(computed, of: survivor)
        }
    }

    static func result(workspaceId: Int64, assigned: [(event: Event, profile: Int64)], graph: IdentityGraph,
                       outcome: ProfileBatchOutcome) -> ProfileBatchResult {
        var profiles: [Int64: Profile] = [:]
        for (id, profile) in graph.profiles where graph.touched.contains(id) {
            var p = profile
            let identifiers = graph.identifiers(of: id)
            p.userId = identifiers.first { $0.kind == .userId }?.value
            p.email = p.contactEmail(identifiers: identifiers)
            p.id = outcome.real(id)
            profiles[p.id] = p
        }
        let events = assigned.map { pair -> Event in
            var e = pair.event
            e.profileId = outcome.real(pair.profile)
            return e
        }
        let merges = graph.merges.filter { $0.from > 0 }.map { (from: $0.from, into: outcome.real(graph.canonical($0.into))) }
        var result = ProfileBatchResult(workspaceId: workspaceId, events: events, profiles: profiles, merges: merges)
        for (id, line) in graph.timelines where graph.touched.contains(id) && !graph.mergedInBatch.contains(id) {
            let real = outcome.real(id)
            guard let final = profiles[real] else { continue }
            result.timelines[real] = line.map { moment in
                var p = moment.profile
                (p.id, p.userId, p.email) = (real, final.userId, final.email)
                p.scores = final.scores
                p.loyalty = final.loyalty
                return StandingTimeline.Point(at: moment.at, profile: p)
            }
        }
        for (id, first) in graph.firstSeen {
            guard let first, !graph.mergedInBatch.contains(id) else { continue }
            result.before[outcome.real(id)] = first
        }
        return result
    }
}

extension ProfileProcessor {
    func reportLag(workspaceId: Int64) async throws {
        let lag = try await store.profileLag(workspaceId: workspaceId)
        lagEvents.record(lag.events)
        lagSeconds.record(lag.seconds)
    }
}
