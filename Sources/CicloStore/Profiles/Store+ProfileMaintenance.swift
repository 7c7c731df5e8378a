import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Live profiles after `afterId`, by id, with their identifiers, for exports.
    public func profilePage(workspaceId: Int64, afterId: Int64, limit: Int) async throws -> [(Profile, [Identifier])] {
        try await database.read { session in
            let profiles = try await session.sql.raw("""
                SELECT \(unsafeRaw: ProfileRow.select(session.dialect)) FROM profiles
                WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL AND id > \(bind: afterId)
                ORDER BY id LIMIT \(bind: limit)
                """).all().map(ProfileRow.decode)
            guard !profiles.isEmpty else { return [] }
            var identifiers: [Int64: [Identifier]] = [:]
            for row in try await session.sql.raw("""
                SELECT profile_id, kind, value FROM identities WHERE workspace_id = \(bind: workspaceId)
                AND profile_id IN (\(binds: profiles.map(\.id))) ORDER BY kind, value
                """).all() {
                identifiers[try row.decode(column: "profile_id", as: Int64.self), default: []].append(
                    Identifier(IdentifierKind(rawValue: try row.decode(column: "kind", as: String.self)),
                               try row.decode(column: "value", as: String.self)))
            }
            return profiles.map { ($0, identifiers[$0.id] ?? []) }
        }
    }

    /// Forgets every profile of a workspace and rewinds the processor, so profiles are rebuilt from the event log.
    public func resetProfiles(workspaceId: Int64) async throws {
        let now = self.now
        try await database.write { session in
            try await Self.checkAndLockCursor(session, workspaceId: workspaceId, expected: -1, now: now, bumpOnly: true)
            try await session.sql.raw("UPDATE segments SET member_count = 0 WHERE workspace_id = \(bind: workspaceId)").run()
            for table in ["identities", "profile_merges", "identity_conflicts", "profiles"] + Self.profileOwnedTables {
                try await session.sql.raw("DELETE FROM \(unsafeRaw: table) WHERE workspace_id = \(bind: workspaceId)").run()
            }
            try await Self.clearHourlyOrders(workspaceId: workspaceId, in: session)
            try await session.sql.raw("DELETE FROM audience_counts WHERE workspace_id = \(bind: workspaceId)").run()
            // Ciclo's own events about the old profiles go; rebuilding derives them again.
            try await session.sql.raw("""
                DELETE FROM events WHERE workspace_id = \(bind: workspaceId) AND source_id IS NULL AND message_id LIKE 'ciclo:%'
                """).run()
            try await session.sql.raw("""
                UPDATE \(unsafeRaw: session.dialect.events(.byProfile)) SET profile_id = NULL WHERE workspace_id = \(bind: workspaceId) AND profile_id IS NOT NULL
                """).run()
            try await session.sql.raw("""
                UPDATE profile_cursors SET last_event_id = 0 WHERE workspace_id = \(bind: workspaceId)
                """).run()
        }
    }
}
