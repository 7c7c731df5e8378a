import CicloCore
import Foundation
import SQLKit

/// A browser's push subscription.
public struct PushSubscription: Sendable, Codable, Equatable {
    public var endpoint: String
    public var p256dh: String
    public var auth: String
    public init(endpoint: String, p256dh: String, auth: String) {
        self.endpoint = endpoint
        self.p256dh = p256dh
        self.auth = auth
    }
}

extension Store {
    public func savePushSubscription(workspaceId: Int64, profileId: Int64, _ s: PushSubscription) async throws {
        let now = self.now
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO push_subscriptions (workspace_id, profile_id, endpoint, p256dh, auth, created_at)
                VALUES (\(bind: workspaceId), \(bind: profileId), \(bind: s.endpoint), \(bind: s.p256dh), \(bind: s.auth), \(bind: now))
                ON CONFLICT (workspace_id, endpoint) DO UPDATE SET profile_id = excluded.profile_id, p256dh = excluded.p256dh, auth = excluded.auth
                """).run()
        }
    }

    public func pushSubscriptions(workspaceId: Int64, profileId: Int64) async throws -> [PushSubscription] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
                """).all().map { PushSubscription(endpoint: try $0.decode(column: "endpoint", as: String.self),
                                                  p256dh: try $0.decode(column: "p256dh", as: String.self), auth: try $0.decode(column: "auth", as: String.self)) }
        }
    }

    /// Forgets a subscription the push service says is gone.
    public func removePushSubscription(workspaceId: Int64, endpoint: String) async throws {
        try await database.write { session in
            try await session.sql.raw("DELETE FROM push_subscriptions WHERE workspace_id = \(bind: workspaceId) AND endpoint = \(bind: endpoint)").run()
        }
    }

    /// The workspace's VAPID key pair (raw P-256 private key and uncompressed public key, base64url), made on first use.
    public func vapidKeys(workspaceId: Int64, make: @Sendable () -> (String, String)) async throws -> (privateKey: String, publicKey: String) {
        if let row = try await database.read({ session in
            try await session.sql.raw("SELECT private_key, public_key FROM vapid_keys WHERE workspace_id = \(bind: workspaceId)").first()
        }) {
            return (try row.decode(column: "private_key", as: String.self), try row.decode(column: "public_key", as: String.self))
        }
        let (privateKey, publicKey) = make()
        let now = self.now
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO vapid_keys (workspace_id, private_key, public_key, created_at)
                VALUES (\(bind: workspaceId), \(bind: privateKey), \(bind: publicKey), \(bind: now)) ON CONFLICT DO NOTHING
                """).run()
        }
        return try await vapidKeys(workspaceId: workspaceId, make: make)
    }

    /// Puts an on-site message in a person's inbox.
    public func addOnsiteMessage(workspaceId: Int64, profileId: Int64, outboxId: Int64, content: JSONValue, placement: String,
                                 expiresAt: Int64) async throws {
        let now = self.now
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO onsite_messages (workspace_id, profile_id, outbox_id, content, placement, created_at, expires_at)
                VALUES (\(bind: workspaceId), \(bind: profileId), \(bind: outboxId), \(bind: content.jsonText)\(unsafeRaw: session.dialect.jsonCast),
                \(bind: placement), \(bind: now), \(bind: expiresAt)) ON CONFLICT DO NOTHING
                """).run()
        }
    }

    /// A person's current on-site messages, newest first.
    public func onsiteMessages(workspaceId: Int64, profileId: Int64) async throws -> [JSONValue] {
        let now = self.now
        return try await database.read { session in
            try await session.sql.raw("""
                SELECT outbox_id, placement, \(unsafeRaw: session.dialect.jsonText("content")) AS content, created_at FROM onsite_messages
                WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId) AND expires_at > \(bind: now) AND dismissed_at IS NULL
                ORDER BY id DESC LIMIT 20
                """).all().map { row in
                var content = (try? JSONValue.parse(try row.decode(column: "content", as: String.self)))?.objectValue ?? [:]
                content["messageId"] = .int(try row.decode(column: "outbox_id", as: Int64.self))
                content["placement"] = .string(try row.decode(column: "placement", as: String.self))
                return .object(content)
            }
        }
    }

    /// How to reach a profile and name it in events: contact points, time zone, and its strongest identifier.
    public func contact(workspaceId: Int64, profileId: Int64) async throws -> (profile: Profile, identifiers: [Identifier])? {
        guard let detail = try await profileDetail(workspaceId: workspaceId, id: profileId) else { return nil }
        return (detail.profile, detail.identifiers)
    }
}
