import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Every message template of a workspace, by key.
    public func messageTemplates(workspaceId: Int64) async throws -> [MessageTemplate] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT key, name, channel, topic, \(unsafeRaw: session.dialect.jsonText("parts")) AS parts FROM message_templates
                WHERE workspace_id = \(bind: workspaceId) ORDER BY key
                """).all().map(Self.template)
        }
    }

    /// The template with `key`, or nil.
    public func messageTemplate(workspaceId: Int64, key: String) async throws -> MessageTemplate? {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT key, name, channel, topic, \(unsafeRaw: session.dialect.jsonText("parts")) AS parts FROM message_templates
                WHERE workspace_id = \(bind: workspaceId) AND key = \(bind: key)
                """).first().map(Self.template)
        }
    }

    /// Checks and saves a template (creating or replacing it).
    public func saveMessageTemplate(workspaceId: Int64, _ template: MessageTemplate) async throws {
        try template.validate()
        let now = self.now
        let parts = JSONValue.object(template.parts.mapValues(JSONValue.string)).jsonText
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO message_templates (workspace_id, key, name, channel, topic, parts, created_at, updated_at)
                VALUES (\(bind: workspaceId), \(bind: template.key), \(bind: template.name), \(bind: template.channel), \(bind: template.topic),
                \(bind: parts)\(unsafeRaw: session.dialect.jsonCast), \(bind: now), \(bind: now))
                ON CONFLICT (workspace_id, key) DO UPDATE SET name = excluded.name, channel = excluded.channel, topic = excluded.topic,
                parts = excluded.parts, updated_at = excluded.updated_at
                """).run()
        }
    }

    /// Deletes a template.
    public func deleteMessageTemplate(workspaceId: Int64, key: String) async throws {
        let n = try await database.write { session in
            try await session.sql.raw("DELETE FROM message_templates WHERE workspace_id = \(bind: workspaceId) AND key = \(bind: key) RETURNING key").all().count
        }
        guard n > 0 else { throw CicloError.notFound("Template \(key)") }
    }

    /// Adds the ready-made templates the workspace does not have.
    public func installReadyMadeTemplates(workspaceId: Int64) async throws {
        let existing = Set(try await messageTemplates(workspaceId: workspaceId).map(\.key))
        for template in MessageTemplate.readyMade where !existing.contains(template.key) {
            try await saveMessageTemplate(workspaceId: workspaceId, template)
        }
    }

    static func template(_ row: any SQLRow) throws -> MessageTemplate {
        let parts = (try? JSONValue.parse(try row.decode(column: "parts", as: String.self)))?.objectValue ?? [:]
        return MessageTemplate(key: try row.decode(column: "key", as: String.self), name: try row.decode(column: "name", as: String.self),
                               channel: try row.decode(column: "channel", as: String.self),
                               topic: try row.decode(column: "topic", as: String.self),
                               parts: parts.compactMapValues(\.stringValue))
    }
}
