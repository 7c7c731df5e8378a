import CicloCore
import Foundation
import SQLKit

/// One person's walk through a stretch of history, for `Store.evaluateInEventTime`.
public struct StandingWalk: Sendable {
    public var profile: Profile
    /// The person after each moment (empty: only `profile`, at `lastAt`).
    public var points: [StandingTimeline.Point]
    /// The person before the first moment, for lapses due before it.
    public var before: Profile?
    /// The time of the last event the walk covers, when there are no points.
    public var lastAt: Int64

    public init(profile: Profile, points: [StandingTimeline.Point], before: Profile?, lastAt: Int64) {
        (self.profile, self.points, self.before, self.lastAt) = (profile, points, before, lastAt)
    }
}

extension Store {
    /// Evaluates segments, stage and persona in event time inside an open transaction: for each person the plan runs
    /// at every moment of their walk and at every lapse between moments (through `until` with `lapsesAfter`), and
    /// each change is written at its own time, oldest first (stage history, memberships, derived events), then the
    /// next re-check. Moments are never before what the person had already done nor after `now`.
    @discardableResult
    public static func evaluateInEventTime(in session: DatabaseSession, workspaceId: Int64, walks: [StandingWalk], plan: AudiencePlan,
                                           segmentIds: [String: Int64], now: Int64, lapsesAfter: Bool) async throws -> Int {
        guard !walks.isEmpty else { return 0 }
        let ids = walks.map(\.profile.id)
        let current = try await memberships(session, workspaceId: workspaceId, profileIds: ids)
        let history = try await relevantHistory(session, workspaceId: workspaceId, profileIds: ids, names: plan.eventNames)
        let due = try await recheckTimes(session, workspaceId: workspaceId, profileIds: ids)
        let timeline = StandingTimeline(plan: plan)
        var rounds: [[StandingChange]] = []
        var times: [[Int64: Int64]] = []
        var finals: [StandingChange] = []
        for walk in walks {
            let p = walk.profile
            let start = AudiencePlan.Standing(segments: current[p.id] ?? [], stage: p.lifecycle.stage, persona: p.lifecycle.persona,
                                              changesAt: due[p.id])
            // Never before what the person had already done (a late event), never in the future.
            var floor = walk.before?.computed.lastSeen ?? Int64.min
            var points = walk.points.isEmpty ? [StandingTimeline.Point(at: walk.lastAt, profile: p)] : walk.points
            points[points.count - 1].profile = p  // the last moment is the profile as stored (merges refold it)
            for i in points.indices {
                points[i].at = min(now, max(floor, points[i].at))
                floor = points[i].at
            }
            let (changes, final) = timeline.run(start: start, stageSince: p.lifecycle.stageEnteredAt, before: walk.before ?? walk.profile,
                                                points: points, history: history[p.id] ?? [], until: now, lapsesAfter: lapsesAfter)
            for (r, change) in changes.enumerated() {
                if rounds.count <= r { rounds.append([]); times.append([:]) }
                rounds[r].append(StandingChange(profileId: p.id, segmentsBefore: change.before.segments, stageBefore: change.before.stage,
                                                personaBefore: change.before.persona, after: change.after))
                times[r][p.id] = change.at
            }
            finals.append(StandingChange(profileId: p.id, segmentsBefore: final.segments, stageBefore: final.stage,
                                         personaBefore: final.persona, after: final))
        }
        for (r, round) in rounds.enumerated() {
            var writer = StandingWriter(session: session, workspaceId: workspaceId, segmentIds: segmentIds, now: now)
            writer.changeTimes = times[r]
            writer.manageRechecks = false
            try await writer.write(round)
        }
        // The next time anyone's standing can change by time alone.
        try await StandingWriter(session: session, workspaceId: workspaceId, segmentIds: segmentIds, now: now).write(finals)
        return rounds.reduce(0) { $0 + $1.count }
    }

    /// Each profile's pending re-check time.
    static func recheckTimes(_ session: DatabaseSession, workspaceId: Int64, profileIds: [Int64]) async throws -> [Int64: Int64] {
        var out: [Int64: Int64] = [:]
        for chunk in profileIds.chunked(into: 1_000) {
            for row in try await session.sql.raw("""
                SELECT profile_id, due_at FROM segment_rechecks WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: chunk))
                """).all() {
                out[try row.decode(column: "profile_id", as: Int64.self)] = try row.decode(column: "due_at", as: Int64.self)
            }
        }
        return out
    }
}
