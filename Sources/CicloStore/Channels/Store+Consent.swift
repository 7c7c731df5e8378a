import CicloCore
import Foundation
import SQLKit

/// One consent record: a person's choice for a channel and topic (`*` for the whole channel).
public struct ConsentRecord: Sendable, Codable, Equatable {
    public var channel: String
    public var topic: String
    /// `subscribed`, `unsubscribed` or `pending` (double opt-in not yet confirmed).
    public var status: String
    public var source: String
    public var updatedAt: Int64
}

extension Store {
    /// Records a consent choice.
    public func setConsent(workspaceId: Int64, profileId: Int64, channel: String, topic: String = "*", status: String,
                           source: String) async throws {
        guard ["subscribed", "unsubscribed", "pending"].contains(status) else {
            throw CicloError.badRequest("invalid_status", "Consent status is subscribed, unsubscribed or pending.")
        }
        let now = self.now
        try await database.write { session in
            try await Self.setConsent(in: session, workspaceId: workspaceId, profileId: profileId, channel: channel, topic: topic,
                                      status: status, source: source, now: now)
        }
    }

    public static func setConsent(in session: DatabaseSession, workspaceId: Int64, profileId: Int64, channel: String, topic: String,
                           status: String, source: String, now: Int64) async throws {
        try await session.sql.raw("""
            INSERT INTO consents (workspace_id, profile_id, channel, topic, status, source, updated_at)
            VALUES (\(bind: workspaceId), \(bind: profileId), \(bind: channel), \(bind: topic), \(bind: status), \(bind: source), \(bind: now))
            ON CONFLICT (workspace_id, profile_id, channel, topic) DO UPDATE SET status = excluded.status, source = excluded.source,
            updated_at = excluded.updated_at
            """).run()
    }

    /// A person's consent records.
    public func consents(workspaceId: Int64, profileId: Int64) async throws -> [ConsentRecord] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT channel, topic, status, source, updated_at FROM consents
                WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId) ORDER BY channel, topic
                """).all().map { row in
                ConsentRecord(channel: try row.decode(column: "channel", as: String.self), topic: try row.decode(column: "topic", as: String.self),
                              status: try row.decode(column: "status", as: String.self), source: try row.decode(column: "source", as: String.self),
                              updatedAt: try row.decode(column: "updated_at", as: Int64.self))
            }
        }
    }

    /// Puts an address (email or phone) on the suppression list: hard bounces, complaints, unsubscribes.
    public func suppressAddress(workspaceId: Int64, channel: String, address: String, reason: String) async throws {
        let now = self.now
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO address_suppressions (workspace_id, channel, address, reason, created_at)
                VALUES (\(bind: workspaceId), \(bind: channel), \(bind: address.lowercased()), \(bind: reason), \(bind: now))
                ON CONFLICT DO NOTHING
                """).run()
        }
    }

    /// The reason an address is suppressed, or nil.
    public func suppression(workspaceId: Int64, channel: String, address: String) async throws -> String? {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT reason FROM address_suppressions WHERE workspace_id = \(bind: workspaceId) AND channel = \(bind: channel)
                AND address = \(bind: address.lowercased())
                """).first()?.decode(column: "reason", as: String.self)
        }
    }
}

extension Store {
    /// Suppresses an address inside an open transaction.
    public static func suppress(in session: DatabaseSession, workspaceId: Int64, channel: String, address: String, reason: String,
                                now: Int64) async throws {
        try await session.sql.raw("""
            INSERT INTO address_suppressions (workspace_id, channel, address, reason, created_at)
            VALUES (\(bind: workspaceId), \(bind: channel), \(bind: address.lowercased()), \(bind: reason), \(bind: now)) ON CONFLICT DO NOTHING
            """).run()
    }
}
