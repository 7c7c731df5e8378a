import CicloCore
import Foundation
import SQLKit

extension Store {
    /// One page of events matching `query`, newest first.
    public func events(_ query: EventQuery) async throws -> [Event] {
        try await database.read { session in
            var sql = SQLQueryString("SELECT \(unsafeRaw: EventRow.selectColumns(session.dialect)) FROM events WHERE workspace_id = \(bind: query.workspaceId)")
            for (kind, value) in [("user_id", query.userId), ("anonymous_id", query.anonymousId)] {
                guard let value else { continue }
                // The person the id resolves to, plus events the profile processor has not reached yet.
                sql += " AND (profile_id IN (SELECT profile_id FROM identities WHERE workspace_id = \(bind: query.workspaceId) AND kind = \(bind: kind) AND value = \(bind: value))"
                sql += " OR (profile_id IS NULL AND \(unsafeRaw: kind) = \(bind: value)))"
            }
            if let profileId = query.profileId { sql += " AND profile_id = \(bind: profileId)" }
            if let event = query.event { sql += " AND event = \(bind: event)" }
            if let from = query.from { sql += " AND timestamp >= \(bind: from.epochMilliseconds)" }
            if let to = query.to { sql += " AND timestamp < \(bind: to.epochMilliseconds)" }
            if let after = query.after {
                sql += " AND (timestamp < \(bind: after.timestamp) OR (timestamp = \(bind: after.timestamp) AND id < \(bind: after.id)))"
            }
            sql += " ORDER BY timestamp DESC, id DESC LIMIT \(bind: query.limit)"
            return try await session.sql.raw(sql).all().map(EventRow.decode)
        }
    }
}

/// Reading `events` rows back into `Event`s.
enum EventRow {
    static func selectColumns(_ dialect: Dialect) -> String {
        "id, workspace_id, source_id, message_id, type, event, name, user_id, anonymous_id, group_id, previous_id, profile_id, "
            + "\(dialect.jsonText("properties")) AS properties, \(dialect.jsonText("traits")) AS traits, "
            + "\(dialect.jsonText("context")) AS context, original_timestamp, timestamp, sent_at, received_at"
    }

    static func decode(_ row: any SQLRow) throws -> Event {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
        func json(_ column: String) throws -> JSONValue {
            (try? JSONValue.parse(try row.decode(column: column, as: String.self))) ?? .object([:])
        }
        return Event(
            id: try row.decode(column: "id", as: Int64.self),
            workspaceId: try row.decode(column: "workspace_id", as: Int64.self),
            sourceId: try row.decode(column: "source_id", as: Int64?.self),
            messageId: try row.decode(column: "message_id", as: String.self),
            type: EventType(rawValue: try row.decode(column: "type", as: String.self)) ?? .track,
            event: try row.decode(column: "event", as: String?.self),
            name: try row.decode(column: "name", as: String?.self),
            userId: try row.decode(column: "user_id", as: String?.self),
            anonymousId: try row.decode(column: "anonymous_id", as: String?.self),
            groupId: try row.decode(column: "group_id", as: String?.self),
            previousId: try row.decode(column: "previous_id", as: String?.self),
            profileId: try row.decode(column: "profile_id", as: Int64?.self),
            properties: try json("properties"), traits: try json("traits"), context: try json("context"),
            originalTimestamp: try date("original_timestamp"),
            timestamp: try date("timestamp") ?? Date(timeIntervalSince1970: 0),
            sentAt: try date("sent_at"),
            receivedAt: try date("received_at") ?? Date(timeIntervalSince1970: 0))
    }
}

extension Store {
    /// True when the workspace has no events at all.
    public func isEventLogEmpty(workspaceId: Int64) async throws -> Bool {
        try await database.read { session in
            try await session.sql.raw("SELECT 1 AS one FROM events WHERE workspace_id = \(bind: workspaceId) LIMIT 1").first() == nil
        }
    }
}
