import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Every journey of a workspace with its current version's definition.
    public func journeys(workspaceId: Int64) async throws -> [JourneyRecord] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT j.id, j.status, j.version, j.activated_at, j.updated_at, \(unsafeRaw: session.dialect.jsonText("v.definition")) AS definition
                FROM journeys j JOIN journey_versions v ON v.journey_id = j.id AND v.version = j.version
                WHERE j.workspace_id = \(bind: workspaceId) ORDER BY j.key
                """).all().compactMap(Self.journeyRecord)
        }
    }

    /// The journey with `key`, or nil.
    public func journey(workspaceId: Int64, key: String) async throws -> JourneyRecord? {
        try await journeys(workspaceId: workspaceId).first { $0.definition.key == key }
    }

    /// The definition of a journey at a version (running enrolments finish on the version they started on).
    public func journeyDefinition(journeyId: Int64, version: Int) async throws -> JourneyDefinition? {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT \(unsafeRaw: session.dialect.jsonText("definition")) AS definition FROM journey_versions
                WHERE journey_id = \(bind: journeyId) AND version = \(bind: version)
                """).first().flatMap { row in
                (try? JSONValue.parse(try row.decode(column: "definition", as: String.self))).flatMap { try? JourneyDefinition.parse($0) }
            }
        }
    }

    /// Saves a definition: a new journey (as a draft), or a new version of an existing one.
    @discardableResult
    public func saveJourney(workspaceId: Int64, _ definition: JourneyDefinition) async throws -> JourneyRecord {
        let now = self.now
        let text = definition.json.jsonText
        try await database.write { session in
            let cast = session.dialect.jsonCast
            if let row = try await session.sql.raw("""
                SELECT id, version FROM journeys WHERE workspace_id = \(bind: workspaceId) AND key = \(bind: definition.key)
                """).first() {
                let id = try row.decode(column: "id", as: Int64.self), version = try row.decode(column: "version", as: Int.self) + 1
                try await session.sql.raw("""
                    INSERT INTO journey_versions (journey_id, version, definition, created_at)
                    VALUES (\(bind: id), \(bind: version), \(bind: text)\(unsafeRaw: cast), \(bind: now))
                    """).run()
                try await session.sql.raw("""
                    UPDATE journeys SET name = \(bind: definition.name), version = \(bind: version), priority = \(bind: definition.priority),
                    updated_at = \(bind: now) WHERE id = \(bind: id)
                    """).run()
            } else {
                let id = try await session.sql.raw("""
                    INSERT INTO journeys (workspace_id, key, name, status, version, priority, created_at, updated_at)
                    VALUES (\(bind: workspaceId), \(bind: definition.key), \(bind: definition.name), 'draft', 1, \(bind: definition.priority),
                    \(bind: now), \(bind: now)) RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
                try await session.sql.raw("""
                    INSERT INTO journey_versions (journey_id, version, definition, created_at)
                    VALUES (\(bind: id), 1, \(bind: text)\(unsafeRaw: cast), \(bind: now))
                    """).run()
            }
        }
        return try await journey(workspaceId: workspaceId, key: definition.key)!
    }

    /// Moves a journey to a status (activate, pause, archive); archived journeys cannot be reactivated.
    public func setJourneyStatus(workspaceId: Int64, key: String, _ status: JourneyRecord.Status) async throws {
        guard let existing = try await journey(workspaceId: workspaceId, key: key) else { throw CicloError.notFound("Journey \(key)") }
        if existing.status == .archived && status != .archived {
            throw CicloError.conflict("journey_archived", "Journey \(key) is archived; copy it under a new key instead.")
        }
        let now = self.now
        try await database.write { session in
            try await session.sql.raw("""
                UPDATE journeys SET status = \(bind: status.rawValue), updated_at = \(bind: now),
                activated_at = CASE WHEN \(bind: status.rawValue) = 'active' AND activated_at IS NULL THEN \(bind: now) ELSE activated_at END
                WHERE id = \(bind: existing.id)
                """).run()
            if status == .archived {
                try await session.sql.raw("""
                    UPDATE enrolments SET state = 'exited', wake_at = NULL, finished_at = \(bind: now), updated_at = \(bind: now)
                    WHERE journey_id = \(bind: existing.id) AND state = 'active'
                    """).run()
            }
        }
    }

    /// The workspace's journey rules (the defaults until set).
    public func journeyRules(workspaceId: Int64) async throws -> JourneyRules {
        let text = try await database.read { session in
            try await session.sql.raw("""
                SELECT \(unsafeRaw: session.dialect.jsonText("settings")) AS settings FROM journey_settings WHERE workspace_id = \(bind: workspaceId)
                """).first()?.decode(column: "settings", as: String.self)
        }
        guard let text, let json = try? JSONValue.parse(text), let rules = try? JourneyRules.parse(json) else {
            var rules = JourneyRules.standard
            rules.defaultTimeZone = (try? await workspace(id: workspaceId).timeZone) ?? "UTC"
            return rules
        }
        return rules
    }

    /// Replaces the workspace's journey rules.
    public func setJourneyRules(workspaceId: Int64, _ rules: JourneyRules) async throws {
        let now = self.now
        let text = rules.json.jsonText
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO journey_settings (workspace_id, settings, updated_at) VALUES (\(bind: workspaceId), \(bind: text)\(unsafeRaw: session.dialect.jsonCast), \(bind: now))
                ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
                """).run()
        }
    }

    static func journeyRecord(_ row: any SQLRow) throws -> JourneyRecord? {
        guard let json = try? JSONValue.parse(try row.decode(column: "definition", as: String.self)),
              let definition = try? JourneyDefinition.parse(json) else { return nil }
        return JourneyRecord(id: try row.decode(column: "id", as: Int64.self), definition: definition,
                             status: JourneyRecord.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
                             version: try row.decode(column: "version", as: Int.self),
                             activatedAt: try row.decode(column: "activated_at", as: Int64?.self),
                             updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }
}

extension Store {
    /// Live profiles whose ISO-date trait has today's month and day (birthdays, anniversaries).
    public func profilesWithAnniversary(workspaceId: Int64, trait: String, month: Int, day: Int) async throws -> Set<Int64> {
        let monthDay = String(format: "%02d-%02d", month, day)
        return try await database.read { session in
            let value = session.dialect == .sqlite ? "json_extract(traits, \(Self.quotedPath(trait)))" : "(traits #>> '{\(trait.replacingOccurrences(of: "'", with: ""))}')"
            return Set(try await session.sql.raw("""
                SELECT id FROM profiles WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL
                AND substr(\(unsafeRaw: value), 6, 5) = \(bind: monthDay)
                """).all().map { try $0.decode(column: "id", as: Int64.self) })
        }
    }

    static func quotedPath(_ trait: String) -> String {
        "'$.\"" + trait.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "") + "\"'"
    }
}
