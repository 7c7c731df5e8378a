import CicloCore
import Foundation
import SQLKit

extension Store {
    /// The live profile an id stands for: itself, or the survivor it was merged into; nil when unknown or erased.
    public func survivingProfileId(workspaceId: Int64, id: Int64) async throws -> Int64? {
        try await database.read { session in
            var current = id
            for _ in 0..<64 {
                guard let row = try await session.sql.raw("""
                    SELECT merged_into FROM profiles WHERE workspace_id = \(bind: workspaceId) AND id = \(bind: current)
                    """).first() else { return nil }
                guard let next = try row.decode(column: "merged_into", as: Int64?.self) else { return current }
                current = next
            }
            return nil
        }
    }

    /// The 360° view of a profile (following merges); nil when there is no such profile.
    public func profileDetail(workspaceId: Int64, id: Int64) async throws -> ProfileDetail? {
        guard let live = try await survivingProfileId(workspaceId: workspaceId, id: id) else { return nil }
        return try await database.read { session in
            guard let row = try await session.sql.raw("""
                SELECT \(unsafeRaw: ProfileRow.select(session.dialect)) FROM profiles WHERE id = \(bind: live)
                """).first() else { return nil }
            let profile = try ProfileRow.decode(row)
            let identifiers = try await session.sql.raw("""
                SELECT kind, value FROM identities WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: live)
                ORDER BY kind, value
                """).all().map { Identifier(IdentifierKind(rawValue: try $0.decode(column: "kind", as: String.self)),
                                           try $0.decode(column: "value", as: String.self)) }
            let merges = try await session.sql.raw("""
                SELECT from_profile, merged_at, reason FROM profile_merges
                WHERE workspace_id = \(bind: workspaceId) AND into_profile = \(bind: live) ORDER BY id
                """).all().map { (from: try $0.decode(column: "from_profile", as: Int64.self),
                                  at: try $0.decode(column: "merged_at", as: Int64.self),
                                  reason: try $0.decode(column: "reason", as: String.self)) }
            let conflicts = try await session.sql.raw("""
                SELECT kind, value, owner_profile_id, recorded_at FROM identity_conflicts
                WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: live) ORDER BY id DESC LIMIT 100
                """).all().map { (identifier: Identifier(IdentifierKind(rawValue: try $0.decode(column: "kind", as: String.self)),
                                                         try $0.decode(column: "value", as: String.self)),
                                  owner: try $0.decode(column: "owner_profile_id", as: Int64.self),
                                  at: try $0.decode(column: "recorded_at", as: Int64.self)) }
            var counts: [String: Int] = [:]
            for count in try await session.sql.raw("""
                SELECT type, COUNT(*) AS n FROM \(unsafeRaw: session.dialect.events(.byProfile)) WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: live)
                GROUP BY type
                """).all() {
                counts[try count.decode(column: "type", as: String.self)] = try count.decode(column: "n", as: Int.self)
            }
            let segments = try await Self.memberships(session, workspaceId: workspaceId, profileIds: [live])[live] ?? []
            let stages = try await session.sql.raw("""
                SELECT stage, entered_at, exited_at FROM stage_history WHERE workspace_id = \(bind: workspaceId)
                AND profile_id = \(bind: live) ORDER BY entered_at DESC, id DESC LIMIT 50
                """).all().map { (stage: try $0.decode(column: "stage", as: String.self),
                                   enteredAt: try $0.decode(column: "entered_at", as: Int64.self),
                                   exitedAt: try $0.decode(column: "exited_at", as: Int64?.self)) }
            return ProfileDetail(profile: profile, identifiers: identifiers, merges: merges, conflicts: conflicts,
                                 eventCounts: counts, requestedId: id, segments: segments.sorted(), stageHistory: stages)
        }
    }

    /// Finds people by an exact identifier, or by `text` (a name or email prefix); live profiles only.
    public func findProfiles(workspaceId: Int64, identifier: Identifier? = nil, text: String? = nil,
                             limit: Int = 50) async throws -> [ProfileSummary] {
        try await database.read { session in
            var sql: SQLQueryString = """
                SELECT id, user_id, email, display_name, first_seen, last_seen, order_count, total_revenue FROM profiles
                WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL
                """
            if let identifier {
                sql += " AND id IN (SELECT profile_id FROM identities WHERE workspace_id = \(bind: workspaceId) AND kind = \(bind: identifier.kind.rawValue) AND value = \(bind: identifier.value))"
            }
            if let text, !text.isEmpty {
                let prefix = text.lowercased()
                // Prefix ranges use the indexes on identities and search_name; no LIKE scan over every profile.
                let upper = prefix + "\u{10FFFF}"
                sql += """
                     AND (id IN (SELECT profile_id FROM identities WHERE workspace_id = \(bind: workspaceId)
                     AND kind IN ('email', 'user_id') AND value >= \(bind: prefix) AND value < \(bind: upper))
                     OR (search_name >= \(bind: prefix) AND search_name < \(bind: upper)))
                    """
            }
            sql += " ORDER BY last_seen DESC LIMIT \(bind: limit)"
            return try await session.sql.raw(sql).all().map { row in
                ProfileSummary(id: try row.decode(column: "id", as: Int64.self),
                               userId: try row.decode(column: "user_id", as: String?.self),
                               email: try row.decode(column: "email", as: String?.self),
                               name: try row.decode(column: "display_name", as: String?.self),
                               firstSeen: try row.decode(column: "first_seen", as: Int64?.self),
                               lastSeen: try row.decode(column: "last_seen", as: Int64?.self),
                               orderCount: try row.decode(column: "order_count", as: Int.self),
                               totalRevenue: try row.decode(column: "total_revenue", as: Double.self))
            }
        }
    }

    /// How many live profiles a workspace has.
    public func profileCount(workspaceId: Int64) async throws -> Int {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT COUNT(*) AS n FROM profiles WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

extension Store {
    /// Events dropped so far for each suppressed identifier.
    public func suppressionCounts(workspaceId: Int64) async throws -> [Identifier: Int] {
        try await database.read { session in
            var counts: [Identifier: Int] = [:]
            for row in try await session.sql.raw("""
                SELECT kind, value, dropped_events FROM suppressed_identifiers WHERE workspace_id = \(bind: workspaceId)
                """).all() {
                counts[Identifier(IdentifierKind(rawValue: try row.decode(column: "kind", as: String.self)),
                                  try row.decode(column: "value", as: String.self))] = try row.decode(column: "dropped_events", as: Int.self)
            }
            return counts
        }
    }
}
