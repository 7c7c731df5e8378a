import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Every segment of a workspace, by key.
    public func segments(workspaceId: Int64) async throws -> [SegmentRecord] {
        try await database.read { session in try await Self.segments(in: session, workspaceId: workspaceId) }
    }

    /// Every segment of a workspace, by key, as `session` sees them.
    static func segments(in session: DatabaseSession, workspaceId: Int64) async throws -> [SegmentRecord] {
        try await session.sql.raw("""
                SELECT \(unsafeRaw: SegmentRecord.select(session.dialect)) FROM segments WHERE workspace_id = \(bind: workspaceId) ORDER BY key
                """).all().map(SegmentRecord.decode)
    }

    /// The segment with `key`, or nil.
    public func segment(workspaceId: Int64, key: String) async throws -> SegmentRecord? {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT \(unsafeRaw: SegmentRecord.select(session.dialect)) FROM segments
                WHERE workspace_id = \(bind: workspaceId) AND key = \(bind: key)
                """).first().map(SegmentRecord.decode)
        }
    }

    /// Creates or replaces a segment after checking its key and that it fits with the others (known references, no cycle).
    @discardableResult
    public func saveSegment(workspaceId: Int64, _ definition: SegmentDefinition, create: Bool) async throws -> SegmentRecord {
        guard Slug.isValid(definition.key) else { throw CicloError.badRequest("invalid_key", "Segment key: \(Slug.rule).") }
        guard !definition.name.trimmingCharacters(in: .whitespaces).isEmpty, definition.name.count <= 200 else {
            throw CicloError.badRequest("invalid_name", "A segment needs a name of at most 200 characters.")
        }
        let now = self.now
        let conditionText = definition.condition.json.jsonText
        try await database.write { session in
            // The check reads every segment and the write depends on it: one save per workspace at a time, and the
            // check sees what the save before it wrote (two saves on two nodes cannot close a cycle between them).
            try await Self.serialiseDefinitions(in: session, "segments", workspaceId: workspaceId)
            let others = try await Self.segments(in: session, workspaceId: workspaceId).map(\.definition).filter { $0.key != definition.key }
            _ = try AudiencePlan.order(others + [definition])
            let exists = try await session.sql.raw("""
                SELECT id FROM segments WHERE workspace_id = \(bind: workspaceId) AND key = \(bind: definition.key)
                """).first() != nil
            if create && exists {
                throw CicloError.conflict("segment_exists", "A segment with key \(definition.key) already exists.")
            }
            if !create && !exists { throw CicloError.notFound("Segment \(definition.key)") }
            if exists {
                try await session.sql.raw("""
                    UPDATE segments SET name = \(bind: definition.name), description = \(bind: definition.description),
                    condition = \(bind: conditionText)\(unsafeRaw: session.dialect.jsonCast), updated_at = \(bind: now)
                    WHERE workspace_id = \(bind: workspaceId) AND key = \(bind: definition.key)
                    """).run()
            } else {
                try await session.sql.raw("""
                    INSERT INTO segments (workspace_id, key, name, description, condition, ready_made, created_at, updated_at)
                    VALUES (\(bind: workspaceId), \(bind: definition.key), \(bind: definition.name), \(bind: definition.description),
                    \(bind: conditionText)\(unsafeRaw: session.dialect.jsonCast), \(bind: definition.readyMade), \(bind: now), \(bind: now))
                    """).run()
            }
        }
        guard let saved = try await segment(workspaceId: workspaceId, key: definition.key) else { throw CicloError.notFound("Segment") }
        return saved
    }

    /// Deletes a segment and its memberships; refuses while another segment refers to it.
    public func deleteSegment(workspaceId: Int64, key: String) async throws {
        try await database.write { session in
            try await Self.serialiseDefinitions(in: session, "segments", workspaceId: workspaceId)
            let all = try await Self.segments(in: session, workspaceId: workspaceId)
            guard let target = all.first(where: { $0.definition.key == key }) else { throw CicloError.notFound("Segment \(key)") }
            if let user = all.first(where: { $0.definition.condition.segmentReferences.contains(key) }) {
                throw CicloError.conflict("segment_in_use", "Segment \(user.definition.key) refers to \(key); change it first.")
            }
            try await session.sql.raw("DELETE FROM segment_members WHERE segment_id = \(bind: target.id)").run()
            try await session.sql.raw("DELETE FROM segments WHERE id = \(bind: target.id)").run()
        }
    }

    /// Adds any ready-made segment the workspace does not have yet (edited ones are left alone).
    public func installReadyMadeSegments(workspaceId: Int64) async throws {
        let existing = Set(try await segments(workspaceId: workspaceId).map(\.definition.key))
        for definition in SegmentDefinition.readyMade where !existing.contains(definition.key) {
            do {
                try await saveSegment(workspaceId: workspaceId, definition, create: true)
            } catch let error as CicloError where error.code == "segment_exists" {
                // Another process installed it a moment ago.
            }
        }
    }

    /// Members of a segment, by profile id, with when they entered.
    public func segmentMembers(segmentId: Int64, afterProfileId: Int64 = 0, limit: Int = 100) async throws -> [(ProfileSummary, Int64)] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT p.id, p.user_id, p.email, p.display_name, p.first_seen, p.last_seen, p.order_count, p.total_revenue, m.entered_at
                FROM segment_members m JOIN profiles p ON p.id = m.profile_id
                WHERE m.segment_id = \(bind: segmentId) AND m.profile_id > \(bind: afterProfileId)
                ORDER BY m.profile_id LIMIT \(bind: limit)
                """).all().map { row in (try ProfileSummary.decode(row), try row.decode(column: "entered_at", as: Int64.self)) }
        }
    }

    /// The count and a sample of a draft condition, without saving anything.
    public func previewSegment(workspaceId: Int64, condition: Condition, sample: Int = 10) async throws -> (count: Int, sample: [ProfileSummary]) {
        let compiler = ConditionSQL(dialect: dialect, workspaceId: workspaceId, now: now)
        return try await database.read { session in
            var count: SQLQueryString = "SELECT COUNT(*) AS n FROM ("
            count += compiler.selectProfileIds(condition)
            count += ") AS matched"
            let n = try await session.sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
            var list: SQLQueryString = "SELECT id, user_id, email, display_name, first_seen, last_seen, order_count, total_revenue FROM profiles WHERE id IN ("
            list += compiler.selectProfileIds(condition)
            list += ") ORDER BY last_seen DESC LIMIT \(bind: sample)"
            return (n, try await session.sql.raw(list).all().map(ProfileSummary.decode))
        }
    }
}

extension ProfileSummary {
    static func decode(_ row: any SQLRow) throws -> ProfileSummary {
        ProfileSummary(id: try row.decode(column: "id", as: Int64.self),
                       userId: try row.decode(column: "user_id", as: String?.self),
                       email: try row.decode(column: "email", as: String?.self),
                       name: try row.decode(column: "display_name", as: String?.self),
                       firstSeen: try row.decode(column: "first_seen", as: Int64?.self),
                       lastSeen: try row.decode(column: "last_seen", as: Int64?.self),
                       orderCount: try row.decode(column: "order_count", as: Int.self),
                       totalRevenue: try row.decode(column: "total_revenue", as: Double.self))
    }
}

extension Store {
    /// Every live profile of the workspace that matches `condition` at `now`, computed by one query in the database.
    public func matchingProfileIds(workspaceId: Int64, condition: Condition, now: Int64? = nil) async throws -> Set<Int64> {
        let compiler = ConditionSQL(dialect: dialect, workspaceId: workspaceId, now: now ?? self.now)
        return try await database.read { session in
            Set(try await session.sql.raw(compiler.selectProfileIds(condition)).all().map { try $0.decode(column: "id", as: Int64.self) })
        }
    }
}
