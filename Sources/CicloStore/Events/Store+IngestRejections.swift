import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Keeps rejected tracking messages in the dead-letter table.
    public func recordRejections(_ letters: [IngestDeadLetter]) async throws {
        guard !letters.isEmpty else { return }
        try await database.write { session in
            for chunk in letters.chunked(into: 500) {
                try await session.sql.insert(into: "ingest_rejections")
                    .columns("workspace_id", "source_id", "received_at", "code", "message", "payload")
                    .rows(chunk.map { letter -> [any SQLExpression] in
                        [SQLBind(letter.workspaceId), SQLBind(letter.sourceId), SQLBind(letter.receivedAt),
                         SQLBind(letter.code), SQLBind(letter.message), SQLBind(letter.payload)]
                    })
                    .run()
            }
        }
    }

    /// The newest rejected messages of a workspace, before the row id `before` when paging.
    public func rejections(workspaceId: Int64, before: Int64? = nil, limit: Int = 100) async throws -> [IngestDeadLetter] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT id, workspace_id, source_id, received_at, code, message, payload FROM ingest_rejections
                WHERE workspace_id = \(bind: workspaceId) AND id < \(bind: before ?? Int64.max)
                ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map { row in
                var letter = IngestDeadLetter(
                    id: try row.decode(column: "id", as: Int64.self),
                    workspaceId: try row.decode(column: "workspace_id", as: Int64.self),
                    sourceId: try row.decode(column: "source_id", as: Int64?.self),
                    receivedAt: Date(), code: try row.decode(column: "code", as: String.self),
                    message: try row.decode(column: "message", as: String.self),
                    payload: try row.decode(column: "payload", as: String.self))
                letter.receivedAt = try row.decode(column: "received_at", as: Int64.self)
                return letter
            }
        }
    }
}
