import CicloCore
import Foundation
import PostgresNIO
import SQLKit
import SQLiteNIO

extension Store {
    /// Writes one processed batch and advances the cursor, all in one transaction; throws `profile_cursor_moved`
    /// when another writer changed profiles since the batch was read. `inTransaction` runs inside the same
    /// transaction after the profiles are written (segments and journeys hook in there).
    @discardableResult
    public func applyProfileBatch(
        _ batch: ProfileBatchWrite,
        inTransaction: @Sendable (DatabaseSession, ProfileBatchOutcome) async throws -> Void = { _, _ in }
    ) async throws -> ProfileBatchOutcome {
        let now = self.now
        return try await database.write(priority: .background) { session in
            try await Self.checkAndLockCursor(session, workspaceId: batch.workspaceId, expected: batch.expectedVersion, now: now)
            // Before writing anyone: the journey and audience hooks below read and write these people's state.
            try await Self.serialisePeople(in: session, workspaceId: batch.workspaceId, profileIds: batch.people)
            let newIds = try await Self.allocateProfileIds(session, count: batch.profiles.count(where: { $0.id < 0 }))
            var mapping: [Int64: Int64] = [:]
            for (temp, real) in zip(batch.profiles.filter { $0.id < 0 }.map(\.id).sorted(by: >), newIds) {
                mapping[temp] = real
            }
            let outcome = ProfileBatchOutcome(newIds: mapping)
            try await BulkRows(table: "profiles", columns: ProfileRow.columns, rows: batch.profiles.map { profile in
                var p = profile
                p.id = outcome.real(profile.id)
                return ProfileRow.values(p, identifiers: batch.identifiersByProfile[profile.id] ?? [], now: now)
            }, suffix: ProfileRow.upsert).insert(in: session)
            try await BulkRows(table: "identities", columns: [("workspace_id", .bigint), ("kind", .text), ("value", .text),
                                                              ("profile_id", .bigint), ("created_at", .bigint)],
                               rows: batch.newIdentifiers.sorted { $0.key < $1.key }.map { id, profile in
                                   [.int(batch.workspaceId), .text(id.kind.rawValue), .text(id.value),
                                    .int(outcome.real(profile)), .int(now)]
                               }, suffix: "ON CONFLICT DO NOTHING").insert(in: session)
            try await Self.recordMerges(session, batch, outcome, now: now)
            try await Self.assignEvents(session, workspaceId: batch.workspaceId,
                                        batch.assignments.map { ($0.eventId, $0.timestamp, outcome.real($0.profileId)) })
            try await BulkRows(table: "identity_conflicts", columns: [
                ("workspace_id", .bigint), ("kind", .text), ("value", .text), ("profile_id", .bigint),
                ("owner_profile_id", .bigint), ("event_id", .bigint), ("recorded_at", .bigint),
            ], rows: batch.conflicts.map { c in
                [.int(batch.workspaceId), .text(c.identifier.kind.rawValue), .text(c.identifier.value),
                 .int(outcome.real(c.profileId)), .int(outcome.real(c.ownerId)), .int(c.eventId), .int(now)]
            }).insert(in: session)
            try await Self.dropSuppressed(session, workspaceId: batch.workspaceId, batch.suppressed)
            try await Self.addHourlyOrders(batch.hourlyOrders, workspaceId: batch.workspaceId, in: session)
            try await session.sql.raw("""
                UPDATE profile_cursors SET last_event_id = \(bind: batch.lastEventId), version = version + 1,
                updated_at = \(bind: now) WHERE workspace_id = \(bind: batch.workspaceId)
                """).run()
            try await inTransaction(session, outcome)
            return outcome
        }
    }

    static func checkAndLockCursor(_ session: DatabaseSession, workspaceId: Int64, expected: Int64, now: Int64,
                                   bumpOnly: Bool = false) async throws {
        try await session.sql.raw("""
            INSERT INTO profile_cursors (workspace_id, last_event_id, version, updated_at)
            VALUES (\(bind: workspaceId), 0, 0, \(bind: now)) ON CONFLICT DO NOTHING
            """).run()
        let lock = session.dialect == .postgres ? " FOR UPDATE" : ""
        let version = try await session.sql.raw("""
            SELECT version FROM profile_cursors WHERE workspace_id = \(bind: workspaceId)\(unsafeRaw: lock)
            """).first()?.decode(column: "version", as: Int64.self) ?? 0
        if bumpOnly {
            try await session.sql.raw("UPDATE profile_cursors SET version = version + 1 WHERE workspace_id = \(bind: workspaceId)").run()
            return
        }
        guard version == expected else {
            throw CicloError.conflict("profile_cursor_moved", "Profiles changed while the batch was being processed.")
        }
    }

    static func allocateProfileIds(_ session: DatabaseSession, count: Int) async throws -> [Int64] {
        guard count > 0 else { return [] }
        switch session.dialect {
        case .sqlite:
            let seq = try await session.sql.raw("""
                SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'profiles'), 0) AS seq
                """).first()?.decode(column: "seq", as: Int64.self) ?? 0
            return (1...Int64(count)).map { seq + $0 }
        case .postgres:
            return try await session.sql.raw("""
                SELECT nextval(pg_get_serial_sequence('profiles', 'id')) AS id FROM generate_series(1, \(bind: count))
                """).all().map { try $0.decode(column: "id", as: Int64.self) }.sorted()
        }
    }

    static func recordMerges(_ session: DatabaseSession, _ batch: ProfileBatchWrite, _ outcome: ProfileBatchOutcome,
                             now: Int64) async throws {
        let ws = batch.workspaceId
        for merge in batch.merges where merge.from > 0 {
            // A profile created and merged within one batch never existed outside it; only stored ones are recorded.
            let into = try await finalSurvivor(of: merge.into, in: batch.merges, outcome)
            try await removeFromAudienceCounts(profileIds: [merge.from], workspaceId: ws, in: session)
            try await session.sql.raw("UPDATE identities SET profile_id = \(bind: into) WHERE workspace_id = \(bind: ws) AND profile_id = \(bind: merge.from)").run()
            try await session.sql.raw("UPDATE \(unsafeRaw: session.dialect.events(.byProfile)) SET profile_id = \(bind: into) WHERE workspace_id = \(bind: ws) AND profile_id = \(bind: merge.from)").run()
            try await session.sql.raw("UPDATE profiles SET merged_into = \(bind: into), updated_at = \(bind: now) WHERE id = \(bind: merge.from)").run()
            try await session.sql.raw("UPDATE profiles SET merged_into = \(bind: into) WHERE workspace_id = \(bind: ws) AND merged_into = \(bind: merge.from)").run()
            // The survivor's memberships and stage are re-evaluated; the merged-away profile keeps none of its own.
            try await removeMemberships(session, workspaceId: ws, profileIds: [merge.from])
            try await moveEnrolments(session, workspaceId: ws, from: merge.from, into: into, now: now)
            for table in ["segment_rechecks", "stage_history"] {
                try await session.sql.raw("DELETE FROM \(unsafeRaw: table) WHERE workspace_id = \(bind: ws) AND profile_id = \(bind: merge.from)").run()
            }
            try await session.sql.raw("""
                INSERT INTO profile_merges (workspace_id, from_profile, into_profile, event_id, reason, merged_at)
                VALUES (\(bind: ws), \(bind: merge.from), \(bind: into), \(bind: merge.eventId), \(bind: merge.reason), \(bind: now))
                """).run()
        }
    }

    /// Follows later merges in the same batch to the profile that finally survived, with its real id.
    static func finalSurvivor(of id: Int64, in merges: [ProfileMerge], _ outcome: ProfileBatchOutcome) async throws -> Int64 {
        var current = id
        while let next = merges.first(where: { $0.from == current })?.into { current = next }
        return outcome.real(current)
    }

    static func assignEvents(_ session: DatabaseSession, workspaceId: Int64, _ rows: [(Int64, Int64, Int64)]) async throws {
        guard !rows.isEmpty else { return }
        switch session.native {
        case .sqlite(let connection):
            for chunk in rows.chunked(into: 10_000) {
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * 2)
                for (id, _, profile) in chunk { binds += [.integer(Int(id)), .integer(Int(profile))] }
                let values = Array(repeating: "(?,?)", count: chunk.count).joined(separator: ",")
                _ = try await connection.query(
                    "UPDATE events SET profile_id = v.column2 FROM (VALUES \(values)) AS v WHERE events.id = v.column1", binds)
            }
        case .postgres(let connection):
            try await connection.query("""
                UPDATE events AS e SET profile_id = v.p
                FROM unnest(\(rows.map(\.0))::bigint[], \(rows.map(\.1))::bigint[], \(rows.map(\.2))::bigint[]) AS v(id, ts, p)
                WHERE e.id = v.id AND e.timestamp = v.ts AND e.workspace_id = \(workspaceId)
                """, logger: connection.logger)
        }
    }

    static func dropSuppressed(_ session: DatabaseSession, workspaceId: Int64, _ suppressed: [(eventId: Int64, identifier: Identifier)]) async throws {
        guard !suppressed.isEmpty else { return }
        let ids = Array(Set(suppressed.map(\.eventId)))
        for chunk in ids.chunked(into: 500) {
            try await session.sql.raw("DELETE FROM \(unsafeRaw: session.dialect.events(.byLogPosition)) WHERE workspace_id = \(bind: workspaceId) AND id IN (\(binds: chunk))").run()
        }
        for (identifier, hits) in Dictionary(grouping: suppressed, by: \.identifier) {
            try await session.sql.raw("""
                UPDATE suppressed_identifiers SET dropped_events = dropped_events + \(bind: hits.count)
                WHERE workspace_id = \(bind: workspaceId) AND kind = \(bind: identifier.kind.rawValue) AND value = \(bind: identifier.value)
                """).run()
        }
    }
}

extension Store {
    /// Enrolments follow a merge: where both people were in the same journey, the one further along carries on and
    /// the other exits, so the survivor is never enrolled twice; the rest of the history moves to the survivor.
    static func moveEnrolments(_ session: DatabaseSession, workspaceId: Int64, from loser: Int64, into survivor: Int64, now: Int64) async throws {
        try await session.sql.raw("""
            UPDATE enrolments SET state = 'exited', wake_at = NULL, finished_at = \(bind: now), updated_at = \(bind: now)
            WHERE id IN (SELECT l.id FROM enrolments l JOIN enrolments s ON s.journey_id = l.journey_id AND s.profile_id = \(bind: survivor)
                         AND s.state = 'active' WHERE l.profile_id = \(bind: loser) AND l.state = 'active' AND l.steps_run <= s.steps_run)
            """).run()
        try await session.sql.raw("""
            UPDATE enrolments SET state = 'exited', wake_at = NULL, finished_at = \(bind: now), updated_at = \(bind: now)
            WHERE id IN (SELECT s.id FROM enrolments s JOIN enrolments l ON l.journey_id = s.journey_id AND l.profile_id = \(bind: loser)
                         AND l.state = 'active' WHERE s.profile_id = \(bind: survivor) AND s.state = 'active' AND s.steps_run < l.steps_run)
            """).run()
        for table in ["enrolments", "journey_transitions", "journey_conversions", "outbox"] {
            try await session.sql.raw("""
                UPDATE \(unsafeRaw: table) SET profile_id = \(bind: survivor) WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: loser)
                """).run()
        }
    }
}
