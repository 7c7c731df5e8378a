import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import Testing

@Suite("CSV import through the event log")
struct CSVImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func temporary(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ciclo-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the CDNOW sample gives 2,357 profiles with the file's order counts and revenue; a re-run adds nothing",
          arguments: TestDatabase.engines)
    func cdnow(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            _ = try await store.createWorkspace(named: "cd")
            let workspace = try await store.workspace(named: "cd")
            let path = Self.fixtures.appendingPathComponent("CDNOW_sample.txt").path
            // The expected figures, computed independently from the raw file.
            var orders: [String: (Int, Double)] = [:]
            for line in try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline) {
                let f = line.split(whereSeparator: \.isWhitespace)
                orders[String(f[1]), default: (0, 0)].0 += 1
                orders[String(f[1]), default: (0, 0)].1 += Double(f[4])!
            }
            let mapping = CSVImportMapping(kind: .orders, columns: ["user_id": "customer"], workspaceId: workspace.id, now: Date())
            let importer = CSVImporter(store: store, mapping: mapping, preset: .cdnow)

            let first = try await importer.run(path: path, rejectsPath: path + ".rejects")
            let again = try await importer.run(path: path, rejectsPath: path + ".rejects")
            try await ProfileProcessor(store: store, logger: TestDatabase.quietLogger).catchUp(workspaceId: workspace.id)

            #expect(first.imported == 6_919 && first.rejected == 0)
            #expect(again.imported == 0 && again.duplicates == 6_919)
            #expect(try await store.profileCount(workspaceId: workspace.id) == 2_357)
            let profiles = try await store.profilePage(workspaceId: workspace.id, afterId: 0, limit: 10_000)
            #expect(profiles.count == orders.count)
            for (profile, ids) in profiles {
                let customer = try #require(ids.first { $0.kind == .userId }?.value)
                let expected = try #require(orders[customer])
                #expect(profile.computed.orderCount == expected.0)
                #expect(abs(profile.computed.totalRevenue - expected.1) < 0.001)
            }
        }
    }

    @Test("bad rows go to the rejects file with line and reason; the good rows are imported")
    func rejects() async throws {
        try await TestDatabase.withStore(.sqlite) { store in
            let credentials = try await store.createWorkspace(named: "w")
            _ = credentials
            let workspace = try await store.workspace(named: "w")
            let path = try Self.temporary("people.csv", """
                Email,First Name,Plan,Signed Up
                ada@example.com,Ada,pro,2026-01-05
                ,Nobody,free,2026-01-06
                "grace@example.com","Grace ""Amazing"" Hopper",free,2026-01-07
                too,many,columns,here,really
                bob@example.com,Bob,free,not-a-date
                """)
            let mapping = CSVImportMapping(kind: .profiles, columns: ["email": "Email", "first_name": "First Name", "timestamp": "Signed Up"],
                                           workspaceId: workspace.id, now: Date())
            let report = try await CSVImporter(store: store, mapping: mapping).run(path: path, rejectsPath: path + ".rejects.csv")
            try await ProfileProcessor(store: store, logger: TestDatabase.quietLogger).catchUp(workspaceId: workspace.id)

            #expect(report.rows == 5 && report.imported == 2 && report.rejected == 3)
            let rejects = try String(contentsOfFile: path + ".rejects.csv", encoding: .utf8).split(separator: "\n")
            #expect(rejects.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") } ==
                ["3,no_identifier", "5,column_count", "6,invalid_timestamp"])
            let grace = try await store.findProfiles(workspaceId: workspace.id, identifier: Identifier(.email, "grace@example.com"))
            let detail = try #require(try await store.profileDetail(workspaceId: workspace.id, id: grace.first?.id ?? 0))
            #expect(detail.profile.traits["first_name"] == "Grace \"Amazing\" Hopper")
            #expect(detail.profile.traits["Plan"] == "free")
        }
    }
}
