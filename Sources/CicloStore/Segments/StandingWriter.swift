import CicloCore
import Foundation
import SQLKit

/// Writes standing changes: memberships, stage and persona columns, stage history, derived events and re-checks.
struct StandingWriter {
    let session: DatabaseSession
    let workspaceId: Int64
    let segmentIds: [String: Int64]
    let now: Int64
    /// Live evaluation owns re-check times; a full recompute leaves them alone.
    var manageRechecks = true
    /// When each profile's change happened (the latest event that caused it); `now` when absent.
    var changeTimes: [Int64: Int64] = [:]

    func time(_ profile: Int64) -> Int64 { min(now, changeTimes[profile] ?? now) }

    func write(_ changes: [StandingChange]) async throws {
        var entered: [[BulkValue]] = []
        var exitedBySegment: [Int64: [Int64]] = [:]
        var derived: [Event] = []
        for change in changes {
            for key in change.entered.sorted() {
                guard let segmentId = segmentIds[key] else { continue }
                entered.append([.int(workspaceId), .int(segmentId), .int(change.profileId), .int(time(change.profileId))])
                derived.append(event("Segment Entered", change.profileId, ["segment_key": .string(key), "segment_id": .int(segmentId)]))
            }
            for key in change.exited.sorted() {
                guard let segmentId = segmentIds[key] else { continue }
                exitedBySegment[segmentId, default: []].append(change.profileId)
                derived.append(event("Segment Exited", change.profileId, ["segment_key": .string(key), "segment_id": .int(segmentId)]))
            }
            if change.stageChanged, let stage = change.after.stage {
                derived.append(event("Lifecycle Stage Changed", change.profileId,
                                     ["from": change.stageBefore.map(JSONValue.string) ?? .null, "to": .string(stage)]))
            }
        }
        try await BulkRows(table: "segment_members", columns: [("workspace_id", .bigint), ("segment_id", .bigint),
                                                               ("profile_id", .bigint), ("entered_at", .bigint)],
                           rows: entered, suffix: "ON CONFLICT DO NOTHING").insert(in: session)
        for (segmentId, profiles) in exitedBySegment {
            for chunk in profiles.chunked(into: 1_000) {
                try await session.sql.raw("DELETE FROM segment_members WHERE segment_id = \(bind: segmentId) AND profile_id IN (\(binds: chunk))").run()
            }
        }
        try await writeStages(changes.filter(\.stageChanged))
        try await BulkUpdate(table: "profiles", columns: [("id", .bigint), ("persona", .text)],
                             rows: changes.filter(\.personaChanged).map { [.int($0.profileId), .text($0.after.persona)] }).run(in: session)
        if manageRechecks { try await writeRechecks(changes) }
        if !derived.isEmpty { _ = try await EventLogWriter(session: session).append(derived) }
        var delta: [Int64: Int] = exitedBySegment.mapValues { -$0.count }
        for row in entered { if case .int(let id?) = row[1] { delta[id, default: 0] += 1 } }
        try await adjustCounts(delta)
        var cells: [AudienceCell: Int] = [:]
        for change in changes where change.stageChanged || change.personaChanged {
            cells[AudienceCell(stage: change.stageBefore, persona: change.personaBefore), default: 0] -= 1
            cells[AudienceCell(stage: change.after.stage, persona: change.after.persona), default: 0] += 1
        }
        try await Store.adjustAudienceCounts(cells, workspaceId: workspaceId, in: session)
    }

    private func writeStages(_ changes: [StandingChange]) async throws {
        guard !changes.isEmpty else { return }
        try await BulkUpdate(table: "profiles", columns: [("id", .bigint), ("stage", .text), ("stage_entered_at", .bigint)],
                             rows: changes.map { [.int($0.profileId), .text($0.after.stage), .int(time($0.profileId))] }).run(in: session)
        for chunk in changes.chunked(into: 1_000) { try await closeOpenEntries(chunk) }
        try await BulkRows(table: "stage_history", columns: [("workspace_id", .bigint), ("profile_id", .bigint), ("stage", .text),
                                                             ("previous_stage", .text), ("entered_at", .bigint)],
                           rows: changes.compactMap { c in
                               c.after.stage.map { [.int(workspaceId), .int(c.profileId), .text($0), .text(c.stageBefore), .int(time(c.profileId))] }
                           }).insert(in: session)
    }

    /// Closes each person's open stage entry, found through the open-entry index and then updated by id: joined to
    /// `VALUES` by person instead, SQLite's planner scans every open entry once per changed person (seconds a batch).
    private func closeOpenEntries(_ chunk: [StandingChange]) async throws {
        let byProfile = Dictionary(chunk.map { ($0.profileId, $0) }, uniquingKeysWith: { $1 })
        var rows: [[BulkValue]] = []
        for row in try await session.sql.raw(Self.openEntries(workspaceId: workspaceId, profileIds: byProfile.keys.sorted())).all() {
            let profileId = try row.decode(column: "profile_id", as: Int64.self)
            guard let change = byProfile[profileId] else { continue }
            rows.append([.int(try row.decode(column: "id", as: Int64.self)), .int(time(profileId)), .text(change.after.stage)])
        }
        try await BulkUpdate(table: "stage_history", columns: [("id", .bigint), ("exited_at", .bigint), ("next_stage", .text)],
                             rows: rows).run(in: session)
    }

    /// The open stage entries (`id`, `profile_id`) of these people.
    static func openEntries(workspaceId: Int64, profileIds: [Int64]) -> SQLQueryString {
        """
        SELECT id, profile_id FROM stage_history
        WHERE workspace_id = \(bind: workspaceId) AND exited_at IS NULL AND profile_id IN (\(binds: profileIds))
        """
    }

    private func writeRechecks(_ changes: [StandingChange]) async throws {
        let due = changes.compactMap { c in c.after.changesAt.map { [BulkValue.int(workspaceId), .int(c.profileId), .int($0)] } }
        try await BulkRows(table: "segment_rechecks", columns: [("workspace_id", .bigint), ("profile_id", .bigint), ("due_at", .bigint)],
                           rows: due, suffix: "ON CONFLICT (workspace_id, profile_id) DO UPDATE SET due_at = excluded.due_at").insert(in: session)
        let none = changes.filter { $0.after.changesAt == nil }.map(\.profileId)
        for chunk in none.chunked(into: 1_000) {
            try await session.sql.raw("DELETE FROM segment_rechecks WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: chunk))").run()
        }
    }

    /// Keeps member counts current without counting: each batch adds its entries and takes away its exits.
    private func adjustCounts(_ delta: [Int64: Int]) async throws {
        for (segmentId, change) in delta.sorted(by: { $0.key < $1.key }) where change != 0 {
            try await session.sql.raw("UPDATE segments SET member_count = member_count + \(bind: change) WHERE id = \(bind: segmentId)").run()
        }
    }

    private func event(_ name: String, _ profileId: Int64, _ properties: [String: JSONValue]) -> Event {
        Event.derived(name, workspaceId: workspaceId, profileId: profileId, properties: properties, at: time(profileId),
                      // The time is part of the key: entering a segment again later is a second event, not a duplicate.
                      key: "\(name)|\(profileId)|\(time(profileId))|" + properties.sorted { $0.key < $1.key }.map { "\($0.value.scalarText ?? "")" }.joined(separator: "|"))
    }
}
