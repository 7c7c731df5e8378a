import CicloCore
import Foundation
import PostgresNIO
import SQLKit
import SQLiteNIO

/// Where the profile processor stands in a workspace's event log.
public struct ProfileCursor: Sendable, Equatable {
    /// The id of the last event applied to profiles.
    public var lastEventId: Int64
    /// Bumped by every write that changes profiles, so concurrent writers notice each other.
    public var version: Int64
}

extension Store {
    /// The processor's position in a workspace (zero when it has not started).
    public func profileCursor(workspaceId: Int64) async throws -> ProfileCursor {
        try await database.read { session in
            let row = try await session.sql.raw("""
                SELECT last_event_id, version FROM profile_cursors WHERE workspace_id = \(bind: workspaceId)
                """).first()
            return ProfileCursor(lastEventId: try row?.decode(column: "last_event_id", as: Int64.self) ?? 0,
                                 version: try row?.decode(column: "version", as: Int64.self) ?? 0)
        }
    }

    /// The next events of a workspace after `eventId`, in log order.
    public func events(workspaceId: Int64, after eventId: Int64, limit: Int) async throws -> [Event] {
        try await database.read { session in
            try await NativeEventReader.events(session, """
                SELECT \(unsafeRaw: EventRow.selectColumns(session.dialect)) FROM \(unsafeRaw: session.dialect.events(.byLogPosition))
                WHERE \(unsafeRaw: session.dialect.unindexed("workspace_id")) = \(bind: workspaceId) AND id > \(bind: eventId)
                ORDER BY id LIMIT \(bind: limit)
                """)
        }
    }

    /// The part of the identity graph a batch needs: owners of `identifiers`, every identifier of those owners,
    /// and the owners' profiles.
    public func identityGraph(workspaceId: Int64, for identifiers: Set<Identifier>, now: Int64) async throws -> IdentityGraph {
        try await database.read { session in
            var owners: [Identifier: Int64] = [:]
            for (kind, group) in Dictionary(grouping: identifiers, by: \.kind) {
                for chunk in group.map(\.value).chunked(into: 500) {
                    let rows = try await session.sql.raw("""
                        SELECT value, profile_id FROM identities WHERE workspace_id = \(bind: workspaceId)
                        AND kind = \(bind: kind.rawValue) AND value IN (\(binds: chunk))
                        """).all()
                    for row in rows {
                        owners[Identifier(kind, try row.decode(column: "value", as: String.self))] =
                            try row.decode(column: "profile_id", as: Int64.self)
                    }
                }
            }
            let profileIds = Array(Set(owners.values))
            var profiles: [Int64: Profile] = [:]
            for chunk in profileIds.chunked(into: 500) {
                for row in try await session.sql.raw("""
                    SELECT kind, value, profile_id FROM identities WHERE workspace_id = \(bind: workspaceId)
                    AND profile_id IN (\(binds: chunk))
                    """).all() {
                    owners[Identifier(IdentifierKind(rawValue: try row.decode(column: "kind", as: String.self)),
                                      try row.decode(column: "value", as: String.self))] =
                        try row.decode(column: "profile_id", as: Int64.self)
                }
                for row in try await session.sql.raw("""
                    SELECT \(unsafeRaw: ProfileRow.select(session.dialect)) FROM profiles WHERE id IN (\(binds: chunk))
                    """).all() {
                    let profile = try ProfileRow.decode(row)
                    profiles[profile.id] = profile
                }
            }
            return IdentityGraph(workspaceId: workspaceId, owners: owners, profiles: profiles, now: now)
        }
    }

    /// Which of `identifiers` are on the workspace's suppression list.
    public func suppressedIdentifiers(workspaceId: Int64, among identifiers: Set<Identifier>) async throws -> Set<Identifier> {
        guard !identifiers.isEmpty else { return [] }
        return try await database.read { session in
            // The list is usually tiny: read it whole rather than probing each identifier.
            let rows = try await session.sql.raw("""
                SELECT kind, value FROM suppressed_identifiers WHERE workspace_id = \(bind: workspaceId)
                """).all()
            var found = Set<Identifier>()
            for row in rows {
                let id = Identifier(IdentifierKind(rawValue: try row.decode(column: "kind", as: String.self)),
                                    try row.decode(column: "value", as: String.self))
                if identifiers.contains(id) { found.insert(id) }
            }
            return found
        }
    }

    /// The stored events of these profiles, by time, for recomputing attributes after a merge.
    public func history(workspaceId: Int64, profileIds: [Int64]) async throws -> [Event] {
        guard !profileIds.isEmpty else { return [] }
        return try await database.read { session in
            try await NativeEventReader.events(session, """
                SELECT \(unsafeRaw: EventRow.selectColumns(session.dialect)) FROM \(unsafeRaw: session.dialect.events(.byProfile))
                WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: profileIds)) ORDER BY timestamp, id
                """)
        }
    }
}

/// How far profiles are behind the event log.
public struct ProfileLag: Sendable, Codable, Equatable {
    /// Events not yet applied.
    public var events: Int
    /// Age of the oldest event not yet applied, in seconds (0 when caught up).
    public var seconds: Double
    /// The last applied event id.
    public var lastEventId: Int64
}

extension Store {
    /// How far the profile processor is behind in a workspace (counting at most 1,000,000 pending events).
    public func profileLag(workspaceId: Int64) async throws -> ProfileLag {
        let cursor = try await profileCursor(workspaceId: workspaceId)
        let now = self.now
        return try await database.read { session in
            let count = try await session.sql.raw("""
                SELECT COUNT(*) AS n FROM (SELECT 1 FROM \(unsafeRaw: session.dialect.events(.byLogPosition)) WHERE \(unsafeRaw: session.dialect.unindexed("workspace_id")) = \(bind: workspaceId)
                AND id > \(bind: cursor.lastEventId) LIMIT 1000000) AS pending
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            let oldest = try await session.sql.raw("""
                SELECT received_at FROM \(unsafeRaw: session.dialect.events(.byLogPosition)) WHERE \(unsafeRaw: session.dialect.unindexed("workspace_id")) = \(bind: workspaceId)
                AND id > \(bind: cursor.lastEventId) ORDER BY id LIMIT 1
                """).first()?.decode(column: "received_at", as: Int64.self)
            return ProfileLag(events: count, seconds: oldest.map { max(0, Double(now - $0) / 1000) } ?? 0,
                              lastEventId: cursor.lastEventId)
        }
    }
}
