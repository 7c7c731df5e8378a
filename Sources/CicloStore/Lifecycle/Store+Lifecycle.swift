import CicloCore
import Foundation
import SQLKit

extension Store {
    /// The workspace's active lifecycle model (the marketing lifecycle until one is chosen).
    public func lifecycleModel(workspaceId: Int64) async throws -> LifecycleModel {
        let text = try await database.read { session in
            try await session.sql.raw("""
                SELECT \(unsafeRaw: session.dialect.jsonText("model")) AS model FROM lifecycle_models WHERE workspace_id = \(bind: workspaceId)
                """).first()?.decode(column: "model", as: String.self)
        }
        guard let text, let json = try? JSONValue.parse(text), let model = try? LifecycleModel.parse(json) else { return .marketing }
        return model
    }

    /// Makes `model` the workspace's active lifecycle model.
    public func setLifecycleModel(workspaceId: Int64, _ model: LifecycleModel) async throws {
        try model.validate()
        let now = self.now
        let text = model.json.jsonText
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO lifecycle_models (workspace_id, model, updated_at) VALUES (\(bind: workspaceId), \(bind: text)\(unsafeRaw: session.dialect.jsonCast), \(bind: now))
                ON CONFLICT (workspace_id) DO UPDATE SET model = excluded.model, updated_at = excluded.updated_at
                """).run()
        }
    }

    /// The workspace's personas, by priority.
    public func personas(workspaceId: Int64) async throws -> [Persona] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT key, name, \(unsafeRaw: session.dialect.jsonText("definition")) AS definition, priority,
                \(unsafeRaw: session.dialect.jsonText("condition")) AS condition FROM personas
                WHERE workspace_id = \(bind: workspaceId) ORDER BY priority, key
                """).all().map { row in
                let d = (try? JSONValue.parse(try row.decode(column: "definition", as: String.self))) ?? [:]
                func list(_ key: String) -> [String] { (d[key]?.arrayValue ?? []).compactMap(\.stringValue) }
                return Persona(key: try row.decode(column: "key", as: String.self), name: try row.decode(column: "name", as: String.self),
                               description: d["description"]?.stringValue ?? "", goals: list("goals"), needs: list("needs"),
                               painPoints: list("painPoints"), preferredChannels: list("preferredChannels"),
                               priority: try row.decode(column: "priority", as: Int.self),
                               condition: (try? Condition.parse(try row.decode(column: "condition", as: String.self))) ?? .not(.always))
            }
        }
    }

    /// Creates or replaces a persona.
    public func savePersona(workspaceId: Int64, _ persona: Persona) async throws {
        guard Slug.isValid(persona.key) else { throw CicloError.badRequest("invalid_key", "Persona key: \(Slug.rule).") }
        guard !persona.name.isEmpty else { throw CicloError.badRequest("invalid_name", "A persona needs a name.") }
        let segments = try await self.segments(workspaceId: workspaceId).map(\.definition.key)
        if let missing = persona.condition.segmentReferences.first(where: { !segments.contains($0) }) {
            throw CicloError.badRequest("unknown_segment", "Persona \(persona.key) refers to unknown segment \(missing).")
        }
        let now = self.now
        try await database.write { session in
            let cast = session.dialect.jsonCast
            try await session.sql.raw("""
                INSERT INTO personas (workspace_id, key, name, definition, priority, condition, created_at, updated_at)
                VALUES (\(bind: workspaceId), \(bind: persona.key), \(bind: persona.name), \(bind: persona.definition.jsonText)\(unsafeRaw: cast),
                \(bind: persona.priority), \(bind: persona.condition.json.jsonText)\(unsafeRaw: cast), \(bind: now), \(bind: now))
                ON CONFLICT (workspace_id, key) DO UPDATE SET name = excluded.name, definition = excluded.definition,
                priority = excluded.priority, condition = excluded.condition, updated_at = excluded.updated_at
                """).run()
        }
    }

    /// Deletes a persona; people who had it lose it at their next evaluation.
    public func deletePersona(workspaceId: Int64, key: String) async throws {
        let deleted = try await database.write { session in
            try await session.sql.raw("DELETE FROM personas WHERE workspace_id = \(bind: workspaceId) AND key = \(bind: key) RETURNING key").all().count
        }
        guard deleted > 0 else { throw CicloError.notFound("Persona \(key)") }
    }

    /// The workspace's RFM rules (the defaults until edited).
    public func rfmRules(workspaceId: Int64) async throws -> RFMRules {
        let text = try await database.read { session in
            try await session.sql.raw("""
                SELECT \(unsafeRaw: session.dialect.jsonText("rules")) AS rules FROM rfm_rules WHERE workspace_id = \(bind: workspaceId)
                """).first()?.decode(column: "rules", as: String.self)
        }
        guard let text, let json = try? JSONValue.parse(text), let rules = try? RFMRules.parse(json) else { return .standard }
        return rules
    }

    /// Replaces the workspace's RFM rules.
    public func setRFMRules(workspaceId: Int64, _ rules: RFMRules) async throws {
        let now = self.now
        let text = rules.json.jsonText
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO rfm_rules (workspace_id, rules, updated_at) VALUES (\(bind: workspaceId), \(bind: text)\(unsafeRaw: session.dialect.jsonCast), \(bind: now))
                ON CONFLICT (workspace_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at
                """).run()
        }
    }

    /// Segments, the lifecycle model and personas of a workspace, ready to evaluate.
    public func audiencePlan(workspaceId: Int64) async throws -> (plan: AudiencePlan, segmentIds: [String: Int64]) {
        let records = try await segments(workspaceId: workspaceId)
        let plan = try AudiencePlan(segments: records.map(\.definition), model: try await lifecycleModel(workspaceId: workspaceId),
                                    personas: try await personas(workspaceId: workspaceId))
        return (plan, Dictionary(records.map { ($0.definition.key, $0.id) }, uniquingKeysWith: { a, _ in a }))
    }
}
