import CicloCore
@testable import CicloStore
import CicloTesting
import Foundation
import SQLKit
import Testing

/// A stage change closes the person's open stage entry: found through the open-entry index, never by scanning the
/// history (SQLite 3.54 scanned every open entry once per changed person when the update was joined to `VALUES`).
@Suite("Open stage entries")
struct OpenStageEntryTests {
    @Test("a stage change closes exactly the changed people's open entries and opens new ones", arguments: TestDatabase.engines)
    func closesOpenEntries(engine: Dialect) async throws {
        guard let url = try await TestDatabase.freshURL(engine) else { return }
        let store = try await Store.open(url, logger: TestDatabase.quietLogger)
        defer { Task { await store.close() } }
        let workspace = try await store.workspace(named: try await store.createWorkspace(named: "plans").workspace)
        // 600 people: each with two closed entries and one open "convert" entry.
        try await store.database.write { session in
            for chunk in Array(1...600).chunked(into: 200) {
                var rows: [SQLQueryString] = []
                for p in chunk {
                    rows.append("(\(bind: workspace.id), \(bind: Int64(p)), 'discover', 1000, 2000, 'engage')")
                    rows.append("(\(bind: workspace.id), \(bind: Int64(p)), 'engage', 2000, 3000, 'convert')")
                    rows.append("(\(bind: workspace.id), \(bind: Int64(p)), 'convert', 3000, NULL, NULL)")
                }
                try await session.sql.raw("""
                    INSERT INTO stage_history (workspace_id, profile_id, stage, entered_at, exited_at, next_stage)
                    VALUES \(rows.joined(separator: ", "))
                    """).run()
            }
        }
        let changed = Array(Int64(1)...Int64(250)) + [Int64(599)]
        try await store.database.write { session in
            let writer = StandingWriter(session: session, workspaceId: workspace.id, segmentIds: [:], now: 5_000)
            try await writer.write(changed.map {
                StandingChange(profileId: $0, segmentsBefore: [], stageBefore: "convert", personaBefore: nil,
                               after: AudiencePlan.Standing(segments: [], stage: "retain", persona: nil, changesAt: nil))
            })
        }
        let rows = try await store.database.read { session in
            try await session.sql.raw("""
                SELECT profile_id, stage, exited_at, next_stage FROM stage_history
                WHERE workspace_id = \(bind: workspace.id) AND stage IN ('convert', 'retain')
                """).all()
        }
        var convert: [Int64: (exited: Int64?, next: String?)] = [:]
        var retain: [Int64: Int] = [:]
        for row in rows {
            let p = try row.decode(column: "profile_id", as: Int64.self)
            if try row.decode(column: "stage", as: String.self) == "convert" {
                convert[p] = (try row.decode(column: "exited_at", as: Int64?.self), try row.decode(column: "next_stage", as: String?.self))
            } else {
                retain[p, default: 0] += 1
            }
        }
        let changedSet = Set(changed)
        for p in Int64(1)...Int64(600) {
            if changedSet.contains(p) {
                #expect(convert[p]?.exited == 5_000 && convert[p]?.next == "retain", "person \(p)")
                #expect(retain[p] == 1, "person \(p)")
            } else {
                #expect(convert[p]?.exited == nil && convert[p]?.next == nil, "person \(p)")
                #expect(retain[p] == nil, "person \(p)")
            }
        }
    }

    @Test("SQLite finds open entries through the open-entry index, not a scan of the history")
    func openEntryPlan() async throws {
        guard let url = try await TestDatabase.freshURL(.sqlite) else { return }
        let store = try await Store.open(url, logger: TestDatabase.quietLogger)
        defer { Task { await store.close() } }
        let plan = try await store.database.read { session in
            try await session.sql.raw("EXPLAIN QUERY PLAN \(StandingWriter.openEntries(workspaceId: 1, profileIds: Array(1...500)))")
                .all().map { try $0.decode(column: "detail", as: String.self) }
        }
        #expect(plan.contains { $0.contains("USING INDEX stage_history_open") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN stage_history") }, "\(plan)")
    }
}
