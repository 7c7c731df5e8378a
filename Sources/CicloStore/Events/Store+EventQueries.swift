import CicloCore
import Foundation
import SQLKit

extension Store {
    /// One page of events matching `query`, newest first. A user or anonymous id filter means the person it
    /// resolves to, plus events carrying it that the profile processor has not reached yet.
    public func events(_ query: EventQuery) async throws -> [Event] {
        let identifiers = [(IdentifierKind.userId, "user_id", query.userId), (.anonymousId, "anonymous_id", query.anonymousId)]
            .compactMap { kind, column, value in value.map { (Identifier(kind, $0), column) } }
        guard !identifiers.isEmpty else { return try await eventPage(query, profiles: nil, tail: nil) }
        var profiles: Set<Int64>?
        for (identifier, _) in identifiers {
            let owners = Set(try await findProfiles(workspaceId: query.workspaceId, identifier: identifier, limit: 10).map(\.id))
            profiles = profiles.map { $0.intersection(owners) } ?? owners
        }
        let cursor = try await profileCursor(workspaceId: query.workspaceId).lastEventId
        let resolved = profiles?.isEmpty == false ? try await eventPage(query, profiles: Array(profiles!), tail: nil) : []
        let pending = try await eventPage(query, profiles: nil, tail: (cursor, identifiers.map { ($0.1, $0.0.value) }))
        var seen = Set<Int64>()
        return (resolved + pending)
            .sorted { ($0.timestamp, $0.id ?? 0) > ($1.timestamp, $1.id ?? 0) }
            .filter { seen.insert($0.id ?? -1).inserted }
            .prefix(query.limit).map { $0 }
    }

    /// The SQL behind `events(_:)`: by profiles, by the unprocessed tail, or by name or time.
    private func eventPage(_ query: EventQuery, profiles: [Int64]?, tail: (after: Int64, columns: [(String, String)])?) async throws -> [Event] {
        try await database.read { session in
            let dialect = session.dialect
            let profileIds = profiles ?? query.profileId.map { [$0] }
            let access: EventAccess = tail != nil ? .byLogPosition : profileIds != nil ? .byProfile : query.event != nil ? .byName : .byTime
            var sql = SQLQueryString("SELECT \(unsafeRaw: EventRow.selectColumns(dialect)) FROM \(unsafeRaw: dialect.events(access)) WHERE workspace_id = \(bind: query.workspaceId)")
            if let profileIds { sql += " AND profile_id IN (\(binds: profileIds))" }
            if let tail {
                sql += " AND id > \(bind: tail.after)"
                for (column, value) in tail.columns { sql += " AND \(unsafeRaw: column) = \(bind: value)" }
            }
            if let event = query.event { sql += " AND event = \(bind: event)" }
            if let from = query.from { sql += " AND timestamp >= \(bind: from.epochMilliseconds)" }
            if let to = query.to { sql += " AND timestamp < \(bind: to.epochMilliseconds)" }
            if let after = query.after {
                sql += " AND (timestamp < \(bind: after.timestamp) OR (timestamp = \(bind: after.timestamp) AND id < \(bind: after.id)))"
            }
            sql += " ORDER BY timestamp DESC, id DESC LIMIT \(bind: query.limit)"
            return try await NativeEventReader.events(session, sql)
        }
    }

    /// True when the workspace has no events at all.
    public func isEventLogEmpty(workspaceId: Int64) async throws -> Bool {
        try await database.read { session in
            try await session.sql.raw("SELECT 1 AS one FROM events WHERE workspace_id = \(bind: workspaceId) LIMIT 1").first() == nil
        }
    }
}

/// Reading `events` rows back into `Event`s.
enum EventRow {
    static func selectColumns(_ dialect: Dialect) -> String {
        columns(dialect, traits: dialect.jsonText("traits"), context: dialect.jsonText("context"))
    }

    /// The same columns with traits and context read as `{}`: for readers that match only names, properties and
    /// times (conditions' event history), since the context is the largest part of an event to parse.
    static func matchingColumns(_ dialect: Dialect) -> String { columns(dialect, traits: "'{}'", context: "'{}'") }

    /// Every column in the order `NativeEventReader` and `decode` read them, with what to select for traits and context.
    private static func columns(_ dialect: Dialect, traits: String, context: String) -> String {
        "id, workspace_id, source_id, message_id, type, event, name, user_id, anonymous_id, group_id, previous_id, profile_id, "
            + "\(dialect.jsonText("properties")) AS properties, \(traits) AS traits, "
            + "\(context) AS context, original_timestamp, timestamp, sent_at, received_at"
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
