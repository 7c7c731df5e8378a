import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import Testing

@Suite("Prediction runs on stored orders")
struct PredictionRunTests {
    @Test("the set-based summary of the imported CDNOW orders fits the published BG/NBD", arguments: TestDatabase.engines)
    func cdnowInTheStore(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            _ = try await store.createWorkspace(named: "cd")
            let workspace = try await store.workspace(named: "cd")
            let path = CSVImportTests.fixtures.appendingPathComponent("CDNOW_sample.txt").path
            let mapping = CSVImportMapping(kind: .orders, columns: ["user_id": "customer"], workspaceId: workspace.id, now: Date())
            _ = try await CSVImporter(store: store, mapping: mapping, preset: .cdnow).run(path: path, rejectsPath: path + ".rejects")
            try await ProfileProcessor(store: store, logger: TestDatabase.quietLogger).catchUp(workspaceId: workspace.id)

            let cal = TransactionSummary.day("1997-09-30")!, holdout = TransactionSummary.day("1998-06-30")!
            let stored = try await store.orderHistories(workspaceId: workspace.id, calibrationEndDay: cal, holdoutEndDay: holdout)
            #expect(stored.count == 2_357)
            #expect(stored.count { $0.frequency > 0 } == 946)
            #expect(stored.reduce(0) { $0 + $1.frequency } == 2_457)
            #expect(stored.reduce(0) { $0 + $1.holdout } == 1_882)
            let fit = try BGNBD.fit(stored.map { s in
                CustomerHistory(customer: String(s.profileId), frequency: s.frequency, recency: Double(s.lastDay - s.firstDay) / 7,
                                age: Double(cal - s.firstDay) / 7, monetary: s.frequency > 0 ? s.repeatTotal / Double(s.frequency) : 0)
            })
            #expect(abs(fit.model.r - 0.2426) < 0.001 && abs(fit.model.b - 2.4259) < 0.001)
            #expect(abs(fit.logLikelihood - -9582.43) < 0.01)

            let report = try await PredictionRunner(store: store, logger: TestDatabase.quietLogger)
                .run(workspaceId: workspace.id, asOf: Date(timeIntervalSince1970: Double(cal) * 86_400 + 86_399))
            #expect(report.scored == 2_357)
            let runs = try await store.predictionRuns(workspaceId: workspace.id)
            #expect(runs.count == 1 && runs[0].customers == 2_357)
            #expect(abs((runs[0].models["gammaGamma"]?["p"]?.doubleValue ?? 0) - 6.25) < 0.01)
            #expect(runs[0].validation?["weeks"]?.arrayValue?.isEmpty == false)
        }
    }

    @Test("demo customers get scores; churn risk > 0.5 and CLV in the top 40% matches an independent computation",
          arguments: TestDatabase.engines)
    func demoSegment(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            _ = try await store.createWorkspace(named: "demo")
            let workspace = try await store.workspace(named: "demo")
            // A fixed cut-off keeps the generated shop, and so the expected members, the same on every day the test runs.
            let end = Date(timeIntervalSince1970: 1_782_820_800) // 2026-06-30
            _ = try await DemoLoader(store: store, shop: DemoShop(.init(profiles: 2_000, days: 365, seed: 3, end: end, workspaceId: workspace.id))).load()
            try await ProfileProcessor(store: store, logger: TestDatabase.quietLogger).catchUp(workspaceId: workspace.id)
            let report = try await PredictionRunner(store: store, logger: TestDatabase.quietLogger).run(workspaceId: workspace.id, asOf: end)
            #expect(report.scored > 100)

            let condition = try Condition.parse(JSONValue.parse("""
                {"all": [{"attribute": "churn_risk", "op": "gt", "value": 0.5}, {"attribute": "clv_percentile", "op": "gte", "value": 60}]}
                """))
            let members = try await store.matchingProfileIds(workspaceId: workspace.id, condition: condition)
            #expect(!members.isEmpty)

            // Independently: each customer's orders read back as events, summarised and scored in Swift.
            let models = try #require(try await store.predictionRuns(workspaceId: workspace.id).first?.models)
            func parameter(_ model: String, _ name: String) throws -> Double { try #require(models[model]?[name]?.doubleValue) }
            let model = BGNBD(r: try parameter("bgnbd", "r"), alpha: try parameter("bgnbd", "alpha"),
                              a: try parameter("bgnbd", "a"), b: try parameter("bgnbd", "b"))
            let spend = GammaGamma(p: try parameter("gammaGamma", "p"), q: try parameter("gammaGamma", "q"),
                                   gamma: try parameter("gammaGamma", "gamma"))
            var purchases: [Purchase] = []
            var after: EventCursor?
            while true {
                let page = try await store.events(EventQuery(workspaceId: workspace.id, event: "Order Completed", after: after, limit: 1_000))
                for e in page where e.profileId != nil {
                    purchases.append(Purchase(customer: String(e.profileId!), day: Int((e.timestamp.timeIntervalSince1970 / 86_400).rounded(.down)),
                                              amount: e.properties["revenue"]?.doubleValue ?? e.properties["total"]?.doubleValue ?? 0))
                }
                guard page.count == 1_000, let last = page.last else { break }
                after = EventCursor(timestamp: last.timestamp.epochMilliseconds, id: last.id!)
            }
            let summary = try TransactionSummary(purchases, calibrationEnd: Int((end.timeIntervalSince1970 / 86_400).rounded(.down)))
            let scores = CustomerScoring(purchases: model, spend: spend).score(summary.customers, fallbackOrderValue: 0, scoredAt: 0)
            let expected = Set(zip(summary.customers, scores).filter { ($0.1.churnRisk ?? 0) > 0.5 && ($0.1.clvPercentile ?? 0) >= 60 }
                .compactMap { Int64($0.0.customer) })
            #expect(members == expected)

            let first = try #require(members.sorted().first)
            let sample = try #require(try await store.profileDetail(workspaceId: workspace.id, id: first))
            for value in [sample.profile.scores.pAlive, sample.profile.scores.predictedClv12m, sample.profile.scores.expectedOrders90d] {
                #expect(value?.isFinite == true)
            }
        }
    }
}
