import CicloCore
import Foundation
import SQLKit

/// What an erasure removed.
public struct ErasureReport: Sendable, Codable, Equatable {
    public var profiles: Int
    public var events: Int
    public var identifiers: Int
    public var suppressed: Int
}

extension Store {
    /// Tables that hold rows about a profile by `profile_id`; later features add theirs so erasure reaches them too.
    static let profileOwnedTables = [
        "identity_conflicts", "segment_members", "segment_rechecks", "stage_history", "enrolments", "journey_transitions",
        "journey_conversions", "outbox", "consents", "push_subscriptions", "onsite_messages",
    ]

    /// Forgets a person (GDPR right to be forgotten): the profile and everyone merged into it, their identifiers and
    /// events, including events not yet processed that carry their identifiers. With `suppress`, the identifiers go to
    /// the suppression list so later events carrying them are dropped.
    public func eraseProfile(workspaceId: Int64, id: Int64, suppress: Bool) async throws -> ErasureReport {
        guard let live = try await survivingProfileId(workspaceId: workspaceId, id: id) else {
            throw CicloError.notFound("Profile \(id)")
        }
        let now = self.now
        return try await database.write { session in
            // Bump the processor's version so a batch computed before this erasure cannot write it back.
            try await Self.checkAndLockCursor(session, workspaceId: workspaceId, expected: -1, now: now, bumpOnly: true)
            let ids = [live] + (try await session.sql.raw("""
                SELECT id FROM profiles WHERE workspace_id = \(bind: workspaceId) AND merged_into = \(bind: live)
                """).all().map { try $0.decode(column: "id", as: Int64.self) })
            let identifiers = try await session.sql.raw("""
                SELECT kind, value FROM identities WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: ids))
                """).all().map { Identifier(IdentifierKind(rawValue: try $0.decode(column: "kind", as: String.self)),
                                           try $0.decode(column: "value", as: String.self)) }
            var events = try await session.sql.raw("""
                DELETE FROM \(unsafeRaw: session.dialect.events(.byProfile)) WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: ids)) RETURNING id
                """).all().count
            for (column, kind) in [("user_id", IdentifierKind.userId), ("anonymous_id", .anonymousId)] {
                let values = identifiers.filter { $0.kind == kind }.map(\.value)
                for chunk in values.chunked(into: 500) {
                    events += try await session.sql.raw("""
                        DELETE FROM \(unsafeRaw: session.dialect.events(.byProfile)) WHERE workspace_id = \(bind: workspaceId) AND profile_id IS NULL
                        AND \(unsafeRaw: column) IN (\(binds: chunk)) RETURNING id
                        """).all().count
                }
            }
            if suppress {
                for id in identifiers {
                    try await session.sql.raw("""
                        INSERT INTO suppressed_identifiers (workspace_id, kind, value, created_at)
                        VALUES (\(bind: workspaceId), \(bind: id.kind.rawValue), \(bind: id.value), \(bind: now)) ON CONFLICT DO NOTHING
                        """).run()
                }
            }
            try await session.sql.raw("DELETE FROM identities WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: ids))").run()
            try await session.sql.raw("""
                DELETE FROM profile_merges WHERE workspace_id = \(bind: workspaceId)
                AND (into_profile IN (\(binds: ids)) OR from_profile IN (\(binds: ids)))
                """).run()
            try await Self.removeMemberships(session, workspaceId: workspaceId, profileIds: ids)
            try await Self.removeFromAudienceCounts(profileIds: ids, workspaceId: workspaceId, in: session)
            for table in Self.profileOwnedTables {
                try await session.sql.raw("DELETE FROM \(unsafeRaw: table) WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: ids))").run()
            }
            try await session.sql.raw("DELETE FROM profiles WHERE workspace_id = \(bind: workspaceId) AND id IN (\(binds: ids))").run()
            return ErasureReport(profiles: ids.count, events: events, identifiers: identifiers.count,
                                 suppressed: suppress ? identifiers.count : 0)
        }
    }
}
