import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Re-evaluates segments, stage and persona for `profiles` inside an open transaction, writes what changed
    /// (memberships, stage and persona, stage history, derived events, re-check times), and returns the changes.
    @discardableResult
    public static func updateStandings(in session: DatabaseSession, workspaceId: Int64, profiles: [Profile],
                                       plan: AudiencePlan, segmentIds: [String: Int64], now: Int64,
                                       changeTimes: [Int64: Int64] = [:]) async throws -> [StandingChange] {
        guard !profiles.isEmpty else { return [] }
        let ids = profiles.map(\.id)
        let current = try await memberships(session, workspaceId: workspaceId, profileIds: ids)
        let history = try await relevantHistory(session, workspaceId: workspaceId, profileIds: ids, names: plan.eventNames)
        var changes: [StandingChange] = []
        for profile in profiles {
            let before = current[profile.id] ?? []
            let standing = plan.evaluate(ConditionContext(profile: profile, history: history[profile.id] ?? [], segments: before, now: now))
            changes.append(StandingChange(profileId: profile.id, segmentsBefore: before, stageBefore: profile.lifecycle.stage,
                                          personaBefore: profile.lifecycle.persona, after: standing))
        }
        var writer = StandingWriter(session: session, workspaceId: workspaceId, segmentIds: segmentIds, now: now)
        writer.changeTimes = changeTimes
        try await writer.write(changes)
        return changes
    }

    /// Segment keys each profile is in now.
    public static func memberships(_ session: DatabaseSession, workspaceId: Int64, profileIds: [Int64]) async throws -> [Int64: Set<String>] {
        var result: [Int64: Set<String>] = [:]
        for chunk in profileIds.chunked(into: 1_000) {
            for row in try await session.sql.raw("""
                SELECT m.profile_id, s.key FROM segment_members m JOIN segments s ON s.id = m.segment_id
                WHERE m.workspace_id = \(bind: workspaceId) AND m.profile_id IN (\(binds: chunk))
                """).all() {
                result[try row.decode(column: "profile_id", as: Int64.self), default: []].insert(try row.decode(column: "key", as: String.self))
            }
        }
        return result
    }

    /// The events with the given names of each profile, in time order, as conditions read them: names, properties
    /// and times (traits and context are left empty).
    public static func relevantHistory(_ session: DatabaseSession, workspaceId: Int64, profileIds: [Int64], names: Set<String>) async throws -> [Int64: [Event]] {
        guard !names.isEmpty else { return [:] }
        var result: [Int64: [Event]] = [:]
        for chunk in profileIds.chunked(into: 500) {
            let events = try await NativeEventReader.events(session, """
                SELECT \(unsafeRaw: EventRow.matchingColumns(session.dialect)) FROM \(unsafeRaw: session.dialect.events(.byProfile))
                WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: chunk)) AND event IN (\(binds: names.sorted()))
                ORDER BY timestamp, id
                """)
            for event in events { result[event.profileId ?? 0, default: []].append(event) }
        }
        return result
    }

    /// Loads a workspace's live profiles by id inside a transaction; ids of other workspaces are not found.
    public static func profiles(in session: DatabaseSession, workspaceId: Int64, ids: [Int64]) async throws -> [Profile] {
        var result: [Profile] = []
        for chunk in ids.chunked(into: 500) {
            result += try await session.sql.raw("""
                SELECT \(unsafeRaw: ProfileRow.select(session.dialect)) FROM profiles
                WHERE workspace_id = \(bind: workspaceId) AND id IN (\(binds: chunk)) AND merged_into IS NULL
                """).all().map(ProfileRow.decode)
        }
        return result
    }
}

/// How one person's standing changed.
public struct StandingChange: Sendable {
    public var profileId: Int64
    public var segmentsBefore: Set<String>
    public var stageBefore: String?
    public var personaBefore: String?
    public var after: AudiencePlan.Standing

    public var entered: Set<String> { after.segments.subtracting(segmentsBefore) }
    public var exited: Set<String> { segmentsBefore.subtracting(after.segments) }
    public var stageChanged: Bool { after.stage != stageBefore }
    public var personaChanged: Bool { after.persona != personaBefore }
}

extension Store {
    /// Profiles whose re-check time has come.
    public static func dueRechecks(in session: DatabaseSession, workspaceId: Int64, now: Int64, limit: Int) async throws -> [Int64] {
        try await session.sql.raw("""
            SELECT profile_id FROM segment_rechecks WHERE workspace_id = \(bind: workspaceId) AND due_at <= \(bind: now)
            ORDER BY due_at LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "profile_id", as: Int64.self) }
    }

    /// Forgets re-checks (they are written again by the evaluation that follows).
    public static func clearRechecks(in session: DatabaseSession, workspaceId: Int64, profileIds: [Int64]) async throws {
        for chunk in profileIds.chunked(into: 1_000) {
            try await session.sql.raw("DELETE FROM segment_rechecks WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: chunk))").run()
        }
    }
}

extension Store {
    /// Takes profiles out of every segment, keeping member counts right (merges and erasure).
    static func removeMemberships(_ session: DatabaseSession, workspaceId: Int64, profileIds: [Int64]) async throws {
        for chunk in profileIds.chunked(into: 1_000) {
            for row in try await session.sql.raw("""
                SELECT segment_id, COUNT(*) AS n FROM segment_members WHERE workspace_id = \(bind: workspaceId)
                AND profile_id IN (\(binds: chunk)) GROUP BY segment_id
                """).all() {
                try await session.sql.raw("""
                    UPDATE segments SET member_count = member_count - \(bind: try row.decode(column: "n", as: Int.self))
                    WHERE id = \(bind: try row.decode(column: "segment_id", as: Int64.self))
                    """).run()
            }
            try await session.sql.raw("DELETE FROM segment_members WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: chunk))").run()
        }
    }
}
