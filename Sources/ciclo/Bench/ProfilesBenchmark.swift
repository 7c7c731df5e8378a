import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo bench profiles`: events per second applied to profiles (identity resolution, traits, computed attributes)
/// on demo data, and the cost of merging two profiles with long histories.
struct ProfilesBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "profiles", abstract: "Profile processing throughput and merge cost.")

    @Option(help: "Engine: omit for a temporary SQLite file, or a postgres:// server URL.") var database: String?
    @Option(help: "Demo visitors to load first (each becomes a profile).") var profiles = 100_000
    @Option(help: "Events per profile in the merge test.") var mergeEvents = 1_000
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var report = BenchReport(benchmark: "profiles", engine: BenchDatabases.engine(database),
                                 parameters: ["profiles": "\(profiles)", "mergeEvents": "\(mergeEvents)"])
        let url = try await BenchDatabases.fresh(base: database, label: "profiles")
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        _ = try await store.createWorkspace(named: "bench")
        let workspace = try await store.workspace(named: "bench")
        let events = try await DemoLoader(store: store, shop: DemoShop(.init(
            profiles: profiles, days: 365, seed: 1, workspaceId: workspace.id))).load()
        let processor = ProfileProcessor(store: store, logger: CommandLogging.quiet)
        let started = ContinuousClock.now
        let applied = try await processor.catchUp(workspaceId: workspace.id)
        let elapsed = (ContinuousClock.now - started).seconds
        report.add("events loaded", Double(events), "events")
        report.add("profiles", Double(try await store.profileCount(workspaceId: workspace.id)), "profiles")
        report.add("processing throughput", Double(applied) / elapsed, "events/s")
        report.add("processing time", elapsed, "s")
        report.add("merge of two long histories", try await mergeCost(store, workspace.id, processor), "ms")
        report.add("peak memory", peakMemoryMB(), "MB")
        await store.close()
        report.print(json: json)
        await BenchDatabases.discard(url, base: database)
    }

    /// Two people with `mergeEvents` events each, then one identify that joins them: the time of that batch.
    private func mergeCost(_ store: Store, _ workspaceId: Int64, _ processor: ProfileProcessor) async throws -> Double {
        let start = Date()
        func event(_ i: Int, user: String?, anon: String?) -> Event {
            Event(workspaceId: workspaceId, messageId: "merge-\(user ?? "")-\(anon ?? "")-\(i)", type: .track,
                  event: "Product Viewed", userId: user, anonymousId: anon, properties: ["product_id": .string("p\(i % 50)")],
                  timestamp: start.addingTimeInterval(Double(i)), receivedAt: start)
        }
        try await store.appendEvents((0..<mergeEvents).map { event($0, user: nil, anon: "merge-anon") })
        try await store.appendEvents((0..<mergeEvents).map { event($0, user: "merge-user", anon: nil) })
        try await processor.catchUp(workspaceId: workspaceId)
        try await store.appendEvents([Event(workspaceId: workspaceId, messageId: "merge-join", type: .identify,
                                            userId: "merge-user", anonymousId: "merge-anon", timestamp: start, receivedAt: start)])
        let started = ContinuousClock.now
        try await processor.catchUp(workspaceId: workspaceId)
        return (ContinuousClock.now - started).seconds * 1000
    }
}
