import CicloCore
import Foundation
import SQLKit

/// A queued message claimed for delivery, with everything needed to send it.
public struct Delivery: Sendable {
    public var id: Int64
    public var workspaceId: Int64
    public var profileId: Int64
    public var journeyKey: String?
    public var step: String?
    public var arm: String?
    public var channel: String
    public var template: String
    public var transactional: Bool
    public var attempts: Int
    public var payload: JSONValue
}

extension Store {
    /// Claims queued messages whose time has come and marks them `sending` (committed before anything is sent, so a
    /// crash leaves them visibly in flight rather than silently resendable).
    public func claimDeliveries(limit: Int) async throws -> [Delivery] {
        let now = self.now
        return try await database.write(priority: .background) { session in
            let lock = session.dialect == .postgres ? " FOR UPDATE OF o SKIP LOCKED" : ""
            let rows = try await session.sql.raw("""
                SELECT o.id, o.workspace_id, o.profile_id, j.key AS journey, o.step, o.arm, o.channel, o.template, o.transactional,
                o.attempts, \(unsafeRaw: session.dialect.jsonText("o.payload")) AS payload
                FROM outbox o LEFT JOIN journeys j ON j.id = o.journey_id
                WHERE o.status = 'queued' AND o.next_attempt_at <= \(bind: now) ORDER BY o.next_attempt_at, o.id LIMIT \(bind: limit)\(unsafeRaw: lock)
                """).all()
            let claimed = try rows.map { row in
                Delivery(id: try row.decode(column: "id", as: Int64.self), workspaceId: try row.decode(column: "workspace_id", as: Int64.self),
                         profileId: try row.decode(column: "profile_id", as: Int64.self), journeyKey: try row.decode(column: "journey", as: String?.self),
                         step: try row.decode(column: "step", as: String?.self), arm: try row.decode(column: "arm", as: String?.self),
                         channel: try row.decode(column: "channel", as: String.self), template: try row.decode(column: "template", as: String.self),
                         transactional: try row.decode(column: "transactional", as: Bool.self),
                         attempts: try row.decode(column: "attempts", as: Int.self),
                         payload: (try? JSONValue.parse(try row.decode(column: "payload", as: String.self))) ?? [:])
            }
            for chunk in claimed.map(\.id).chunked(into: 500) {
                try await session.sql.raw("""
                    UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = \(bind: now) WHERE id IN (\(binds: chunk))
                    """).run()
            }
            return claimed
        }
    }

    /// Records how a delivery ended: `sent`, `failed`, `suppressed`, or `queued` again for a retry at `retryAt`.
    public func finishDelivery(_ id: Int64, status: String, error: String? = nil, retryAt: Int64? = nil, providerId: String? = nil) async throws {
        let now = self.now
        try await database.write(priority: .background) { session in
            var sql: SQLQueryString = "UPDATE outbox SET status = \(bind: status), error = \(bind: error), updated_at = \(bind: now)"
            if let providerId { sql += ", provider_id = \(bind: providerId)" }
            if status == "sent" { sql += ", sent_at = \(bind: now)" }
            if let retryAt { sql += ", next_attempt_at = \(bind: retryAt)" }
            sql += " WHERE id = \(bind: id)"
            try await session.sql.raw(sql).run()
        }
    }

    /// Messages left `sending` by a crash become `unknown`: visible in the admin API, never resent blindly.
    @discardableResult
    public func markLostDeliveries(olderThan ms: Int64) async throws -> Int {
        let cutoff = now - ms
        let now = self.now
        return try await database.write(priority: .background) { session in
            try await session.sql.raw("""
                UPDATE outbox SET status = 'unknown', error = 'the process stopped while sending; check the provider before retrying',
                updated_at = \(bind: now) WHERE status = 'sending' AND updated_at < \(bind: cutoff) RETURNING id
                """).all().count
        }
    }

    /// Puts an `unknown` or `failed` message back in the queue (an operator's decision).
    public func retryDelivery(workspaceId: Int64, id: Int64) async throws {
        let now = self.now
        let n = try await database.write { session in
            try await session.sql.raw("""
                UPDATE outbox SET status = 'queued', next_attempt_at = \(bind: now), updated_at = \(bind: now)
                WHERE id = \(bind: id) AND workspace_id = \(bind: workspaceId) AND status IN ('unknown', 'failed') RETURNING id
                """).all().count
        }
        guard n > 0 else { throw CicloError.conflict("not_retryable", "Only failed or unknown messages can be retried.") }
    }

    /// The outbox row behind a tracking token: its workspace, profile, journey, step, arm and template.
    public func outboxMessage(id: Int64) async throws -> Delivery? {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT o.id, o.workspace_id, o.profile_id, j.key AS journey, o.step, o.arm, o.channel, o.template, o.transactional,
                o.attempts, \(unsafeRaw: session.dialect.jsonText("o.payload")) AS payload
                FROM outbox o LEFT JOIN journeys j ON j.id = o.journey_id WHERE o.id = \(bind: id)
                """).first().map { row in
                Delivery(id: try row.decode(column: "id", as: Int64.self), workspaceId: try row.decode(column: "workspace_id", as: Int64.self),
                         profileId: try row.decode(column: "profile_id", as: Int64.self), journeyKey: try row.decode(column: "journey", as: String?.self),
                         step: try row.decode(column: "step", as: String?.self), arm: try row.decode(column: "arm", as: String?.self),
                         channel: try row.decode(column: "channel", as: String.self), template: try row.decode(column: "template", as: String.self),
                         transactional: try row.decode(column: "transactional", as: Bool.self),
                         attempts: try row.decode(column: "attempts", as: Int.self),
                         payload: (try? JSONValue.parse(try row.decode(column: "payload", as: String.self))) ?? [:])
            }
        }
    }

    /// Queues a message outside journeys (a transactional send, a test send); returns its outbox id.
    public func queueMessage(workspaceId: Int64, profileId: Int64, channel: String, template: String, transactional: Bool,
                             key: String, payload: JSONValue = [:]) async throws -> Int64? {
        let now = self.now
        return try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO outbox (workspace_id, profile_id, channel, template, transactional, idempotency_key, status, next_attempt_at,
                payload, created_at, updated_at) VALUES (\(bind: workspaceId), \(bind: profileId), \(bind: channel), \(bind: template),
                \(bind: transactional), \(bind: key), 'queued', \(bind: now), \(bind: payload.jsonText)\(unsafeRaw: session.dialect.jsonCast),
                \(bind: now), \(bind: now)) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
                """).first()?.decode(column: "id", as: Int64.self)
        }
    }
}

extension Store {
    /// Marketing messages on a channel a person was sent since `since`, other than `excluding`.
    public func sentCount(workspaceId: Int64, profileId: Int64, channel: String, since: Int64, excluding: Int64) async throws -> Int {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT COUNT(*) AS n FROM outbox WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
                AND channel = \(bind: channel) AND status = 'sent' AND transactional = FALSE AND sent_at >= \(bind: since) AND id <> \(bind: excluding)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

extension Store {
    /// The outbox message a provider knows by its own id (Twilio's message SID, say).
    public func outboxMessage(providerId: String) async throws -> Delivery? {
        let id = try await database.read { session in
            try await session.sql.raw("SELECT id FROM outbox WHERE provider_id = \(bind: providerId)").first()?.decode(column: "id", as: Int64.self)
        }
        guard let id else { return nil }
        return try await outboxMessage(id: id)
    }
}
