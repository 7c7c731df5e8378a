import CicloCore
import CicloStore
import CicloTesting
import Foundation
import SQLKit
import Testing

/// The stage report's typical stay: the nearest-rank median and 90th percentile of stays that ended in the period,
/// for every stage in one query, agreeing with the same definition computed here in Swift.
@Suite("Stage stay percentiles")
struct StayPercentileTests {
    static let hour: Int64 = 3_600_000
    static let start: Int64 = 1_790_000_000_000

    /// ⌈p·n⌉-th shortest, in days, computed without the database.
    static func nearestRank(_ stays: [Int64], _ numerator: Int, _ denominator: Int) -> Double {
        let sorted = stays.sorted(), n = sorted.count
        let rank = (numerator * n + denominator - 1) / denominator
        return Double(sorted[rank - 1]) / 86_400_000
    }

    @Test("110 stays, 1 stay, and stays outside the period: median, p90 and nothing", arguments: TestDatabase.engines)
    func percentiles(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            let ws = try await store.workspace(named: try await store.createWorkspace(named: "stays").workspace).id
            let stages = try await store.lifecycleModel(workspaceId: ws).stages.map(\.key)
            try #require(stages.count >= 3)
            var random = SeededRandom(seed: 7)
            // First stage: 110 stays of 1 to 110 hours, in shuffled order; second: one stay of 5 days; third: a
            // stay that ended before the period, one after it, and one still open.
            var first = (1...110).map { Int64($0) * Self.hour }
            first.shuffle(using: &random)
            var rows: [(String, Int64, Int64?)] = first.map { (stages[0], Self.start + 10 * Self.hour, Self.start + 10 * Self.hour + $0) }
            rows.append((stages[1], Self.start, Self.start + 120 * Self.hour))
            rows += [(stages[2], Self.start - 900 * Self.hour, Self.start - 800 * Self.hour),
                     (stages[2], Self.start, Self.start + 2_000 * Self.hour), (stages[2], Self.start, nil)]
            let inserted = rows
            try await store.database.write { session in
                for (i, row) in inserted.enumerated() {
                    try await session.sql.raw("""
                        INSERT INTO stage_history (workspace_id, profile_id, stage, entered_at, exited_at, next_stage)
                        VALUES (\(bind: ws), \(bind: Int64(i + 1)), \(bind: row.0), \(bind: row.1), \(bind: row.2), NULL)
                        """).run()
                }
            }

            let metrics = try await store.stageMetrics(
                workspaceId: ws, from: Date(epochMilliseconds: Self.start), to: Date(epochMilliseconds: Self.start + 1_000 * Self.hour),
                window: .days(30), interval: .week, timeZone: .gmt)
            let byKey = Dictionary(uniqueKeysWithValues: metrics.stages.map { ($0.key, $0) })

            #expect(byKey[stages[0]]?.medianDaysInStage == Self.nearestRank(first, 1, 2))
            #expect(byKey[stages[0]]?.p90DaysInStage == Self.nearestRank(first, 9, 10))
            #expect(byKey[stages[0]]?.p90DaysInStage == 99.0 / 24, "the 99th of 110, not the 100th")
            #expect(byKey[stages[1]]?.medianDaysInStage == 5 && byKey[stages[1]]?.p90DaysInStage == 5)
            #expect(byKey[stages[2]]?.medianDaysInStage == nil && byKey[stages[2]]?.p90DaysInStage == nil)
        }
    }
}
