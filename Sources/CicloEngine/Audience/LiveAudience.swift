import CicloCore
import CicloStore
import Foundation
import Logging

/// Keeps segments, lifecycle stages and personas live: re-evaluates the people a profile batch touched, in the
/// batch's own transaction, so memberships never lag behind the profiles they are computed from.
public struct LiveAudience: Sendable {
    let store: Store
    let clock: any CicloClock

    /// Creates the live evaluator.
    public init(store: Store, clock: any CicloClock = SystemClock()) {
        self.store = store
        self.clock = clock
    }

    /// The hook to give the profile processor.
    public var hook: ProfileProcessor.BatchHook {
        { result, session in try await self.apply(result, session) }
    }

    func apply(_ result: ProfileBatchResult, _ session: DatabaseSession) async throws {
        guard !result.profiles.isEmpty else { return }
        let (plan, ids) = try await store.audiencePlan(workspaceId: result.workspaceId)
        let now = clock.now().epochMilliseconds
        var lastAt: [Int64: Int64] = [:]
        for event in result.events where !event.isDerived {
            guard let profile = event.profileId else { continue }
            lastAt[profile] = max(lastAt[profile] ?? Int64.min, event.timestamp.epochMilliseconds)
        }
        let walks = result.profiles.values.sorted { $0.id < $1.id }.map { p in
            StandingWalk(profile: p, points: result.timelines[p.id] ?? [], before: result.before[p.id], lastAt: lastAt[p.id] ?? now)
        }
        try await Store.evaluateInEventTime(in: session, workspaceId: result.workspaceId, walks: walks, plan: plan, segmentIds: ids,
                                            now: now, lapsesAfter: false)
    }

    /// Re-evaluates people whose conditions may have changed with the passage of time (a window lapsing);
    /// returns how many were re-checked.
    @discardableResult
    public func recheckDue(workspaceId: Int64, limit: Int = 2_000) async throws -> Int {
        let now = clock.now().epochMilliseconds
        let (plan, ids) = try await store.audiencePlan(workspaceId: workspaceId)
        try await store.prepareDerivedEvents()  // lapses are dated when they happened, possibly months ago
        return try await store.database.write(priority: .background) { session in
            let due = try await Store.dueRechecks(in: session, workspaceId: workspaceId, now: now, limit: limit)
            guard !due.isEmpty else { return 0 }
            let profiles = try await Store.profiles(in: session, workspaceId: workspaceId, ids: due)
            // Each lapse is dated when it happened (its re-check time), not when this pass ran.
            let walks = profiles.map { StandingWalk(profile: $0, points: [], before: $0, lastAt: $0.computed.lastSeen ?? now) }
            try await Store.evaluateInEventTime(in: session, workspaceId: workspaceId, walks: walks, plan: plan, segmentIds: ids,
                                                now: now, lapsesAfter: true)
            return due.count
        }
    }
}
