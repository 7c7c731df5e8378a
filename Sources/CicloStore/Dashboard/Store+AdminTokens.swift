import CicloCore
import Foundation
import SQLKit

/// An admin API token as the settings page lists it (never the token itself).
public struct AdminTokenRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var createdAt: Int64
    public var revokedAt: Int64?
}

extension Store {
    /// A workspace's admin tokens, newest first.
    public func adminTokens(workspaceId: Int64) async throws -> [AdminTokenRecord] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT id, name, created_at, revoked_at FROM admin_tokens WHERE workspace_id = \(bind: workspaceId) ORDER BY id DESC
                """).all().map { row in
                AdminTokenRecord(id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                                 createdAt: try row.decode(column: "created_at", as: Int64.self),
                                 revokedAt: try row.decode(column: "revoked_at", as: Int64?.self))
            }
        }
    }

    /// Revokes a token; requests with it get 401 from then on.
    public func revokeAdminToken(workspaceId: Int64, id: Int64) async throws {
        let now = self.now
        let changed = try await database.write { session in
            try await session.sql.raw("""
                UPDATE admin_tokens SET revoked_at = \(bind: now) WHERE workspace_id = \(bind: workspaceId) AND id = \(bind: id)
                AND revoked_at IS NULL RETURNING id
                """).all().count
        }
        guard changed > 0 else { throw CicloError.notFound("Token \(id)") }
    }

    /// Adds a source with a fresh write key.
    public func createSource(workspaceId: Int64, name: String) async throws -> Source {
        let workspace = try await self.workspace(id: workspaceId)
        return try await createSource(workspace: workspace.name, name: name)
    }

    /// What happened after each message: delivery and engagement events that name it, by message id.
    public func messageEngagement(workspaceId: Int64, messageIds: [Int64], since: Int64) async throws -> [Int64: Set<String>] {
        guard !messageIds.isEmpty else { return [:] }
        let names = ["Email Delivered", "Email Opened", "Email Link Clicked", "Email Bounced", "Email Marked as Spam", "SMS Delivered",
                     "SMS Link Clicked", "WhatsApp Message Read", "Push Notification Opened", "On-Site Message Clicked", "Unsubscribed"]
        return try await database.read { session in
            let sqlite = session.dialect == .sqlite
            let id = sqlite ? "json_extract(e.properties, '$.message_id')" : "(e.properties->>'message_id')"
            let ids: SQLQueryString = sqlite ? "\(binds: messageIds)" : "\(binds: messageIds.map(String.init))"
            var result: [Int64: Set<String>] = [:]
            for row in try await session.sql.raw("""
                SELECT CAST(\(unsafeRaw: id) AS TEXT) AS message, e.event FROM \(unsafeRaw: session.dialect.events(.byName, as: "e"))
                WHERE e.workspace_id = \(bind: workspaceId) AND e.event IN (\(binds: names)) AND e.timestamp >= \(bind: since)
                AND \(unsafeRaw: id) IN (\(ids))
                """).all() {
                let text = try row.decode(column: "message", as: String?.self)
                if let text, let message = Int64(text) { result[message, default: []].insert(try row.decode(column: "event", as: String.self)) }
            }
            return result
        }
    }
}
