import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo bench recommend`: train every strategy on the demo store (time, memory), serve personalised lists under
/// load (p50, p99), and evaluate the strategies offline on the same data.
struct RecommendBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recommend", abstract: "Recommendation training, serving latency and offline quality.")

    @Option(help: "Engine: omit for a temporary SQLite file, or a postgres:// server URL.") var database: String?
    @Option(help: "Demo visitors to load first.") var profiles = 100_000
    @Option(help: "Measure an existing database (workspace bench, e.g. kept by bench dashboard) instead of building one.") var reuse: String?
    @Option(help: "Lists to serve.") var requests = 4_000
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var report = BenchReport(benchmark: "recommend", engine: BenchDatabases.engine(reuse ?? database),
                                 parameters: ["profiles": reuse == nil ? "\(profiles)" : "reused", "requests": "\(requests)"])
        let url: DatabaseURL
        if let reuse { url = try DatabaseURL(parsing: reuse) } else {
            url = try await BenchDatabases.fresh(base: database, label: "recommend")
            report.add("build: load and process demo", try await DashboardBenchmark.build(url, profiles: profiles), "s")
        }
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        let ws = try await store.workspace(named: "bench").id
        report.parameters["events"] = "\(try await store.eventCount(workspaceId: ws))"
        try await Self.measureTrainingAndServing(store, workspaceId: ws, requests: requests, report: &report)
        let started = ContinuousClock.now
        let log = try await store.productHistory(workspaceId: ws, since: 0).interactions
        for result in RecommendationEvaluation.run(log, testShare: 0.2, k: 10) {
            let m = result.metrics
            report.add("evaluate \(result.strategy): precision@10 (recall, NDCG, MAP, coverage after it)", m.precision * 100,
                       String(format: "%%   %.2f%%, %.2f%%, %.2f%%, %.1f%%", m.recall * 100, m.ndcg * 100, m.map * 100, result.coverage * 100))
        }
        report.add("offline evaluation", (ContinuousClock.now - started).seconds, "s")
        report.add("peak memory", peakMemoryMB(), "MB")
        await store.close()
        report.print(json: json)
    }

    /// Trains every strategy, then serves `requests` personalised lists from 8 concurrent tasks.
    static func measureTrainingAndServing(_ store: Store, workspaceId: Int64, requests: Int, report: inout BenchReport) async throws {
        var started = ContinuousClock.now
        let trained = try await RecommendationTrainer(store: store).train(workspaceId: workspaceId)
        report.add("train all strategies (read log, popularity, trending, similar, bought together, write)", (ContinuousClock.now - started).seconds, "s")
        report.add("  interactions / people / products", Double(trained.interactions), "interactions")
        report.add("  similar pairs, bought-together pairs", Double(trained.similarPairs + trained.boughtTogetherPairs), "pairs")
        report.add("  peak memory after training", peakMemoryMB(), "MB")

        let people = try await store.liveProfileIds(workspaceId: workspaceId, limit: 200_000)
        started = ContinuousClock.now
        let perTask = max(1, requests / 8)
        let latency = try await withThrowingTaskGroup(of: LatencyRecorder.self) { group in
            for t in 0..<8 {
                group.addTask {
                    var local = LatencyRecorder(), random = SeededRandom(seed: UInt64(40 + t))
                    let service = RecommendationService(store: store)
                    for _ in 0..<perTask {
                        let person = people.isEmpty ? nil : people[Int(random.next() % UInt64(people.count))]
                        let t0 = ContinuousClock.now
                        _ = try await service.recommend(workspaceId: workspaceId, profileId: person, strategy: .personalised, k: 10)
                        local.record(ContinuousClock.now - t0)
                    }
                    return local
                }
            }
            return try await group.reduce(into: LatencyRecorder()) { $0.merge($1) }
        }
        report.add("personalised lists, 8 concurrent: p50", latency.value(at: .p50), "ms")
        report.add("personalised lists: p99", latency.value(at: .p99), "ms")
        report.add("lists per second", Double(perTask * 8) / (ContinuousClock.now - started).seconds, "lists/s")
    }
}
