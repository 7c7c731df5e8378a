import CicloCore
import Foundation
import SQLKit

/// One cell of the stage × persona table; empty text stands for none.
public struct AudienceCell: Hashable, Sendable {
    public var stage: String
    public var persona: String

    public init(stage: String?, persona: String?) {
        self.stage = stage ?? ""
        self.persona = persona ?? ""
    }

    /// A profile with neither a stage nor a persona is not counted anywhere.
    var isCounted: Bool { !stage.isEmpty || !persona.isEmpty }
}

extension Store {
    /// People per stage and persona, as maintained (live changes add and subtract; the reconcile recounts).
    public func audienceCounts(workspaceId: Int64) async throws -> [AudienceCell: Int] {
        try await database.read { session in
            var result: [AudienceCell: Int] = [:]
            for row in try await session.sql.raw("""
                SELECT stage, persona, people FROM audience_counts WHERE workspace_id = \(bind: workspaceId) AND people <> 0
                """).all() {
                result[AudienceCell(stage: try row.decode(column: "stage", as: String.self), persona: try row.decode(column: "persona", as: String.self))] =
                    try row.decode(column: "people", as: Int.self)
            }
            return result
        }
    }

    /// People in each stage now.
    public func stageCounts(workspaceId: Int64) async throws -> [String: Int] {
        try await audienceCounts(workspaceId: workspaceId).reduce(into: [:]) { out, cell in
            if !cell.key.stage.isEmpty { out[cell.key.stage, default: 0] += cell.value }
        }
    }

    /// People per persona and stage ("" for none).
    public func personaStageCounts(workspaceId: Int64) async throws -> [String: [String: Int]] {
        try await audienceCounts(workspaceId: workspaceId).reduce(into: [:]) { out, cell in
            out[cell.key.persona, default: [:]][cell.key.stage] = cell.value
        }
    }

    /// Adds a batch's moves between cells.
    static func adjustAudienceCounts(_ delta: [AudienceCell: Int], workspaceId: Int64, in session: DatabaseSession) async throws {
        let rows = delta.filter { $0.value != 0 && $0.key.isCounted }.sorted { ($0.key.stage, $0.key.persona) < ($1.key.stage, $1.key.persona) }
        guard !rows.isEmpty else { return }
        try await BulkRows(table: "audience_counts", columns: [("workspace_id", .bigint), ("stage", .text), ("persona", .text), ("people", .bigint)],
                           rows: rows.map { [.int(workspaceId), .text($0.key.stage), .text($0.key.persona), .int(Int64($0.value))] },
                           suffix: "ON CONFLICT (workspace_id, stage, persona) DO UPDATE SET people = audience_counts.people + excluded.people")
            .insert(in: session)
    }

    /// Takes profiles that stop existing (merged away, erased) out of the counts, from their stored stage and persona.
    static func removeFromAudienceCounts(profileIds: [Int64], workspaceId: Int64, in session: DatabaseSession) async throws {
        guard !profileIds.isEmpty else { return }
        var delta: [AudienceCell: Int] = [:]
        for chunk in profileIds.chunked(into: 1_000) {
            for row in try await session.sql.raw("""
                SELECT stage, persona FROM profiles WHERE workspace_id = \(bind: workspaceId) AND id IN (\(binds: chunk)) AND merged_into IS NULL
                """).all() {
                delta[AudienceCell(stage: try row.decode(column: "stage", as: String?.self),
                                   persona: try row.decode(column: "persona", as: String?.self)), default: 0] -= 1
            }
        }
        try await adjustAudienceCounts(delta, workspaceId: workspaceId, in: session)
    }

    /// Replaces the counts with an exact tally (the reconcile's).
    static func replaceAudienceCounts(_ counts: [AudienceCell: Int], workspaceId: Int64, in session: DatabaseSession) async throws {
        try await session.sql.raw("DELETE FROM audience_counts WHERE workspace_id = \(bind: workspaceId)").run()
        try await adjustAudienceCounts(counts, workspaceId: workspaceId, in: session)
    }
}
