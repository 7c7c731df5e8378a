import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Sets the next unprocessed event of a workspace aside: records it with the error and moves the profile cursor
    /// past it, in one transaction, so processing resumes with the event after it. Returns the event id, or nil when
    /// the cursor moved since `expectedVersion` (another processor got there; nothing is set aside).
    public func setAsideNextEvent(workspaceId: Int64, expectedVersion: Int64, error: String) async throws -> Int64? {
        let now = self.now
        return try await database.write { session in
            do {
                try await Self.checkAndLockCursor(session, workspaceId: workspaceId, expected: expectedVersion, now: now)
            } catch let moved as CicloError where moved.code == "profile_cursor_moved" {
                return nil
            }
            let cursor = try await session.sql.raw("SELECT last_event_id FROM profile_cursors WHERE workspace_id = \(bind: workspaceId)")
                .first()?.decode(column: "last_event_id", as: Int64.self) ?? 0
            guard let event = try await NativeEventReader.events(session, """
                SELECT \(unsafeRaw: EventRow.selectColumns(session.dialect)) FROM events WHERE workspace_id = \(bind: workspaceId)
                AND id > \(bind: cursor) ORDER BY id LIMIT 1
                """).first, let id = event.id else { return nil }
            try await Self.recordDeadLetter(in: session, workspaceId: workspaceId, stage: .profiles, itemId: id, error: error,
                                            payload: Self.deadLetterPayload(event).jsonText, now: now)
            try await session.sql.raw("""
                UPDATE profile_cursors SET last_event_id = \(bind: id), version = version + 1, updated_at = \(bind: now)
                WHERE workspace_id = \(bind: workspaceId)
                """).run()
            return id
        }
    }

    /// Ends an enrolment whose step fails on its own (state `failed`) and records it with the error.
    public func setAsideEnrolment(workspaceId: Int64, enrolmentId: Int64, error: String) async throws {
        let now = self.now
        try await database.write { session in
            try await session.sql.raw("""
                UPDATE enrolments SET state = 'failed', waiting = FALSE, wake_at = NULL, finished_at = \(bind: now), updated_at = \(bind: now)
                WHERE workspace_id = \(bind: workspaceId) AND id = \(bind: enrolmentId)
                """).run()
            try await Self.recordDeadLetter(in: session, workspaceId: workspaceId, stage: .journeys, itemId: enrolmentId, error: error,
                                            payload: JSONValue.object(["enrolmentId": .int(enrolmentId)]).jsonText, now: now)
        }
    }

    /// What a dead letter keeps of an event: enough to read it and send it again.
    static func deadLetterPayload(_ e: Event) -> JSONValue {
        var o: [String: JSONValue] = ["id": e.id.map(JSONValue.int) ?? .null, "messageId": .string(e.messageId), "type": .string(e.type.rawValue),
                                      "properties": e.properties, "traits": e.traits, "context": e.context,
                                      "timestamp": .string(ISO8601.format(e.timestamp))]
        for (key, value) in [("event", e.event), ("name", e.name), ("userId", e.userId), ("anonymousId", e.anonymousId),
                             ("groupId", e.groupId), ("previousId", e.previousId)] {
            if let value { o[key] = .string(value) }
        }
        return .object(o)
    }

    static func recordDeadLetter(in session: DatabaseSession, workspaceId: Int64, stage: ProcessingDeadLetter.Stage, itemId: Int64,
                                 error: String, payload: String, now: Int64) async throws {
        let cut = payload.utf8.count <= 65_536 ? payload : String(decoding: Array(payload.utf8.prefix(65_536)), as: UTF8.self)
        try await session.sql.raw("""
            INSERT INTO processing_dead_letters (workspace_id, stage, item_id, error, payload, created_at)
            VALUES (\(bind: workspaceId), \(bind: stage.rawValue), \(bind: itemId), \(bind: String(error.prefix(4_000))), \(bind: cut), \(bind: now))
            ON CONFLICT DO NOTHING
            """).run()
    }

    /// The newest items set aside in a workspace, before row id `before` when paging, optionally of one stage.
    public func processingDeadLetters(workspaceId: Int64, stage: ProcessingDeadLetter.Stage? = nil, before: Int64? = nil,
                                      limit: Int = 100) async throws -> [ProcessingDeadLetter] {
        try await database.read { session in
            var query: SQLQueryString = """
                SELECT id, workspace_id, stage, item_id, error, payload, created_at FROM processing_dead_letters
                WHERE workspace_id = \(bind: workspaceId) AND id < \(bind: before ?? Int64.max)
                """
            if let stage { query += " AND stage = \(bind: stage.rawValue)" }
            query += " ORDER BY id DESC LIMIT \(bind: limit)"
            return try await session.sql.raw(query).all().map { row in
                ProcessingDeadLetter(
                    id: try row.decode(column: "id", as: Int64.self), workspaceId: try row.decode(column: "workspace_id", as: Int64.self),
                    stage: ProcessingDeadLetter.Stage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .profiles,
                    itemId: try row.decode(column: "item_id", as: Int64.self), error: try row.decode(column: "error", as: String.self),
                    payload: try row.decode(column: "payload", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self))
            }
        }
    }

    /// How many items each stage has set aside in a workspace.
    public func processingDeadLetterCounts(workspaceId: Int64) async throws -> [ProcessingDeadLetter.Stage: Int] {
        try await database.read { session in
            var counts: [ProcessingDeadLetter.Stage: Int] = [:]
            for row in try await session.sql.raw("""
                SELECT stage, COUNT(*) AS n FROM processing_dead_letters WHERE workspace_id = \(bind: workspaceId) GROUP BY stage
                """).all() {
                if let stage = ProcessingDeadLetter.Stage(rawValue: try row.decode(column: "stage", as: String.self)) {
                    counts[stage] = try row.decode(column: "n", as: Int.self)
                }
            }
            return counts
        }
    }

    /// True when a write transaction goes through: the database is reachable and writable.
    public func acceptsWrites() async -> Bool {
        do {
            try await database.write { session in _ = try await session.sql.raw("SELECT 1 AS one").first() }
            return true
        } catch {
            return false
        }
    }
}
