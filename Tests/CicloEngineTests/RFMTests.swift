import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import Testing

@Suite("RFM scores and ready-made segments on the CDNOW sample")
struct RFMTests {
    @Test("quintile scores and segment counts match an independent computation", arguments: TestDatabase.engines)
    func cdnow(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            _ = try await store.createWorkspace(named: "cd")
            let workspace = try await store.workspace(named: "cd")
            let path = CSVImportTests.fixtures.appendingPathComponent("CDNOW_sample.txt").path
            let mapping = CSVImportMapping(kind: .orders, columns: ["user_id": "customer"], workspaceId: workspace.id, now: Date())
            _ = try await CSVImporter(store: store, mapping: mapping, preset: .cdnow).run(path: path, rejectsPath: path + ".rejects")
            try await ProfileProcessor(store: store, logger: TestDatabase.quietLogger).catchUp(workspaceId: workspace.id)

            let report = try await store.runRFM(workspaceId: workspace.id)
            _ = try await store.recomputeAudience(workspaceId: workspace.id)

            // The independent computation: per customer from the raw file, then NTILE(5) by (value, profile id).
            var last: [String: Int] = [:], count: [String: Int] = [:], money: [String: Double] = [:]
            for line in try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline) {
                let f = line.split(whereSeparator: \.isWhitespace)
                let customer = String(f[1])
                last[customer] = max(last[customer] ?? 0, Int(f[2])!)
                count[customer, default: 0] += 1
                money[customer, default: 0] += Double(f[4])!
            }
            let page = try await store.profilePage(workspaceId: workspace.id, afterId: 0, limit: 10_000)
            let idOf = Dictionary(uniqueKeysWithValues: page.map { ($0.1.first { $0.kind == .userId }!.value, $0.0.id) })
            func ntile<T: Comparable>(_ key: (String) -> T) -> [String: Int] {
                let ordered = idOf.keys.sorted { (key($0), idOf[$0]!) < (key($1), idOf[$1]!) }
                let n = ordered.count, base = n / 5, extra = n % 5
                var result: [String: Int] = [:]
                var index = 0
                for bucket in 1...5 {
                    for _ in 0..<(base + (bucket <= extra ? 1 : 0)) { result[ordered[index]] = bucket; index += 1 }
                }
                return result
            }
            let r = ntile { last[$0]! }, f = ntile { count[$0]! }, m = ntile { money[$0]! }
            var expectedSegments: [String: Int] = [:]
            for customer in idOf.keys { expectedSegments[RFMRules.standard.segment(r: r[customer]!, f: f[customer]!, m: m[customer]!), default: 0] += 1 }

            #expect(report.customers == 2_357)
            #expect(report.segments == expectedSegments)
            let profiles = try await store.database.read { session in try await Store.profiles(in: session, workspaceId: workspace.id, ids: Array(idOf.values)) }
            let byId = Dictionary(uniqueKeysWithValues: profiles.map { ($0.id, $0) })
            var mismatches = 0
            for (customer, id) in idOf {
                let l = byId[id]!.lifecycle
                if (l.rfmRecency, l.rfmFrequency, l.rfmMonetary) != (r[customer], f[customer], m[customer]) { mismatches += 1 }
            }
            #expect(mismatches == 0)

            let segments = Dictionary(uniqueKeysWithValues: try await store.segments(workspaceId: workspace.id).map { ($0.definition.key, $0.memberCount) })
            #expect(segments["repeat-customers"] == count.values.count(where: { $0 >= 2 }))
            #expect(segments["first-time-buyers"] == count.values.count(where: { $0 == 1 }))
            #expect(segments["vip"] == expectedSegments["Champions"])
            #expect(segments["at-risk"] == (expectedSegments["At Risk"] ?? 0) + (expectedSegments["Can't Lose Them"] ?? 0))
            #expect(segments["lapsed"] == 2_357, "every CDNOW customer's last order is decades old")
        }
    }
}
