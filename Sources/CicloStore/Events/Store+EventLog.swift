import CicloCore
import Foundation
import PostgresNIO
import SQLKit
import SQLiteNIO

extension Store {
    /// Appends events to the log in one transaction, dropping any whose `messageId` the workspace has seen before.
    /// Returns, for each input event, its new log id, or nil when it was a duplicate.
    @discardableResult
    public func appendEvents(_ events: [Event]) async throws -> [Int64?] {
        guard !events.isEmpty else { return [] }
        if dialect == .postgres {
            let partitions = database.eventPartitions
            try await database.read { session in
                guard case .postgres(let connection) = session.native else { return }
                try await partitions.ensure(months: events.map { $0.timestamp.epochMilliseconds },
                                            on: connection, logger: database.logger)
            }
        }
        return try await database.write { session in
            try await EventLogWriter(session: session).append(events)
        }
    }

    /// Forgets dedup keys older than `days`, keeping the window in which a repeated `messageId` is dropped bounded.
    public func pruneMessageIds(olderThanDays days: Int) async throws -> Int {
        let cutoff = now - Int64(days) * 86_400_000
        return try await database.write { session in
            try await session.sql.raw("""
                DELETE FROM event_message_ids WHERE received_at < \(bind: cutoff) RETURNING 1 AS one
                """).all().count
        }
    }
}

/// Writes a batch of events inside an open transaction with the engine's fastest bulk statement.
struct EventLogWriter {
    let session: DatabaseSession

    func append(_ events: [Event]) async throws -> [Int64?] {
        // Keep the first of any messageId repeated inside this batch.
        var seen = Set<MessageKey>()
        var candidates: [Int] = []
        for (index, event) in events.enumerated() where seen.insert(MessageKey(event)).inserted {
            candidates.append(index)
        }
        switch session.native {
        case .sqlite(let connection):
            return try await appendSQLite(events, candidates, connection)
        case .postgres(let connection):
            return try await appendPostgres(events, candidates, connection)
        }
    }

    private func appendSQLite(_ events: [Event], _ candidates: [Int], _ connection: SQLiteConnection) async throws -> [Int64?] {
        var result = [Int64?](repeating: nil, count: events.count)
        for chunk in candidates.chunked(into: 1_000) {
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * 3)
            for index in chunk {
                let e = events[index]
                binds += [.integer(Int(e.workspaceId)), .text(e.messageId), .integer(Int(e.receivedAt.epochMilliseconds))]
            }
            let keysSQL = "INSERT INTO event_message_ids (workspace_id, message_id, received_at) VALUES "
                + Array(repeating: "(?,?,?)", count: chunk.count).joined(separator: ",")
                + " ON CONFLICT DO NOTHING RETURNING workspace_id, message_id"
            var fresh = Set<MessageKey>()
            for row in try await connection.query(keysSQL, binds) {
                fresh.insert(MessageKey(workspaceId: Int64(row.column("workspace_id")?.integer ?? 0),
                                        messageId: row.column("message_id")?.string ?? ""))
            }
            let stored = chunk.filter { fresh.contains(MessageKey(events[$0])) }
            guard !stored.isEmpty else { continue }
            var eventBinds: [SQLiteData] = []
            eventBinds.reserveCapacity(stored.count * Self.columns.count)
            for index in stored {
                let e = events[index]
                eventBinds += [
                    .integer(Int(e.workspaceId)), e.sourceId.map { .integer(Int($0)) } ?? .null, .text(e.messageId),
                    .text(e.type.rawValue), e.event.map(SQLiteData.text) ?? .null, e.name.map(SQLiteData.text) ?? .null,
                    e.userId.map(SQLiteData.text) ?? .null, e.anonymousId.map(SQLiteData.text) ?? .null,
                    e.groupId.map(SQLiteData.text) ?? .null, e.previousId.map(SQLiteData.text) ?? .null,
                    e.profileId.map { .integer(Int($0)) } ?? .null,
                    .text(e.properties.jsonText), .text(e.traits.jsonText), .text(e.context.jsonText),
                    e.originalTimestamp.map { .integer(Int($0.epochMilliseconds)) } ?? .null,
                    .integer(Int(e.timestamp.epochMilliseconds)),
                    e.sentAt.map { .integer(Int($0.epochMilliseconds)) } ?? .null,
                    .integer(Int(e.receivedAt.epochMilliseconds)),
                ]
            }
            let placeholders = "(" + Array(repeating: "?", count: Self.columns.count).joined(separator: ",") + ")"
            let sql = "INSERT INTO events (\(Self.columns.joined(separator: ","))) VALUES "
                + Array(repeating: placeholders, count: stored.count).joined(separator: ",") + " RETURNING id"
            // SQLite returns RETURNING rows in insertion order for a single VALUES insert.
            let ids = try await connection.query(sql, eventBinds).map { Int64($0.column("id")?.integer ?? 0) }
            for (index, id) in zip(stored, ids) { result[index] = id }
        }
        return result
    }

    private func appendPostgres(_ events: [Event], _ candidates: [Int], _ connection: PostgresConnection) async throws -> [Int64?] {
        let logger = connection.logger
        // One writer at a time across every process, so log ids are assigned in commit order and a
        // consumer reading `id > cursor` never skips an event that commits late.
        try await connection.query("SELECT pg_advisory_xact_lock(7261002)", logger: logger)
        var result = [Int64?](repeating: nil, count: events.count)
        for chunk in candidates.chunked(into: 5_000) {
            let keysQuery: PostgresQuery = """
                INSERT INTO event_message_ids (workspace_id, message_id, received_at)
                SELECT * FROM unnest(\(chunk.map { events[$0].workspaceId }), \(chunk.map { events[$0].messageId }),
                                     \(chunk.map { events[$0].receivedAt.epochMilliseconds }))
                ON CONFLICT DO NOTHING RETURNING workspace_id, message_id
                """
            var fresh = Set<MessageKey>()
            for try await (workspaceId, messageId) in try await connection.query(keysQuery, logger: logger)
                .decode((Int64, String).self)
            {
                fresh.insert(MessageKey(workspaceId: workspaceId, messageId: messageId))
            }
            let stored = chunk.filter { fresh.contains(MessageKey(events[$0])) }
            guard !stored.isEmpty else { continue }
            let picked = stored.map { events[$0] }
            var bindings = PostgresBindings(capacity: Self.columns.count + 1)
            bindings.append(picked.indices.map { Int64($0) })
            bindings.append(picked.map(\.workspaceId))
            bindings.append(PostgresOptionalArray(picked.map(\.sourceId)))
            bindings.append(picked.map(\.messageId))
            bindings.append(picked.map(\.type.rawValue))
            bindings.append(PostgresOptionalArray(picked.map(\.event)))
            bindings.append(PostgresOptionalArray(picked.map(\.name)))
            bindings.append(PostgresOptionalArray(picked.map(\.userId)))
            bindings.append(PostgresOptionalArray(picked.map(\.anonymousId)))
            bindings.append(PostgresOptionalArray(picked.map(\.groupId)))
            bindings.append(PostgresOptionalArray(picked.map(\.previousId)))
            bindings.append(PostgresOptionalArray(picked.map(\.profileId)))
            bindings.append(picked.map(\.properties.jsonText))
            bindings.append(picked.map(\.traits.jsonText))
            bindings.append(picked.map(\.context.jsonText))
            bindings.append(PostgresOptionalArray(picked.map { $0.originalTimestamp?.epochMilliseconds }))
            bindings.append(picked.map { $0.timestamp.epochMilliseconds })
            bindings.append(PostgresOptionalArray(picked.map { $0.sentAt?.epochMilliseconds }))
            bindings.append(picked.map { $0.receivedAt.epochMilliseconds })
            // Insert in input order (ORDER BY ord) so ids follow the order the events arrived in.
            let sql = """
                INSERT INTO events (\(Self.columns.joined(separator: ",")))
                SELECT c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13::jsonb, c14::jsonb, c15::jsonb, c16, c17, c18, c19
                FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::text[], $14::text[],
                            $15::text[], $16::bigint[], $17::bigint[], $18::bigint[], $19::bigint[])
                     AS t(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19)
                ORDER BY c1
                RETURNING id
                """
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            var ids: [Int64] = []
            for try await id in rows.decode(Int64.self) { ids.append(id) }
            // RETURNING follows insertion order here, which is the ORDER BY order; sort ids to be safe.
            ids.sort()
            for (index, id) in zip(stored, ids) { result[index] = id }
        }
        return result
    }

    static let columns = [
        "workspace_id", "source_id", "message_id", "type", "event", "name", "user_id", "anonymous_id", "group_id",
        "previous_id", "profile_id", "properties", "traits", "context", "original_timestamp", "timestamp", "sent_at",
        "received_at",
    ]
}

/// A workspace's message id, the key duplicates are dropped by.
struct MessageKey: Hashable {
    var workspaceId: Int64
    var messageId: String

    init(workspaceId: Int64, messageId: String) {
        self.workspaceId = workspaceId
        self.messageId = messageId
    }

    init(_ event: Event) {
        self.init(workspaceId: event.workspaceId, messageId: event.messageId)
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
