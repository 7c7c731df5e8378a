import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo bench analytics`: reports from raw events and from rollups on demo data, and an incremental refresh.
struct AnalyticsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analytics", abstract: "Funnel, retention, journey report and rollup refresh.")

    @Option(help: "Engine: omit for a temporary SQLite file, or a postgres:// server URL.") var database: String?
    @Option(help: "Demo visitors to load first.") var profiles = 100_000
    @Option(help: "Measure an existing database (workspace bench, e.g. kept by bench dashboard) instead of building one.") var reuse: String?
    @Option(help: "New events for the incremental refresh.") var newEvents = 100_000
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var report = BenchReport(benchmark: "analytics", engine: BenchDatabases.engine(reuse ?? database),
                                 parameters: ["profiles": reuse == nil ? "\(profiles)" : "reused", "newEvents": "\(newEvents)"])
        let url: DatabaseURL
        if let reuse { url = try DatabaseURL(parsing: reuse) } else {
            url = try await BenchDatabases.fresh(base: database, label: "analytics")
            report.add("build: load and process demo", try await DashboardBenchmark.build(url, profiles: profiles), "s")
        }
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        let workspace = try await store.workspace(named: "bench")
        let reports = AnalyticsReports(store: store), rollup = AnalyticsRollup(store: store)
        let now = Date(), from = now.addingTimeInterval(-90 * 86_400)
        func time<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
            let started = ContinuousClock.now
            let value = try await body()
            report.add(name, (ContinuousClock.now - started).seconds * 1000, "ms")
            return value
        }
        report.parameters["events"] = "\(try await store.eventCount(workspaceId: workspace.id))"
        let rebuilt = try await time("rollup rebuild from the whole log") { try await rollup.rebuild(workspaceId: workspace.id) }
        report.add("  events rolled up", Double(rebuilt), "events")
        let funnel = try FunnelDefinition.parse(["steps": [["event": "Product Viewed"], ["event": "Product Added"], ["event": "Order Completed"]]])
        let result = try await time("3-step funnel over 90 days (raw events)") {
            try await reports.funnel(workspaceId: workspace.id, funnel, stepNames: ["viewed", "added", "ordered"], from: from, to: now, now: now)
        }
        report.add("  people at step 1 / 3", Double(result.groups.first?.steps.first?.people ?? 0), "people")
        _ = try await time("12-week retention, first time (raw events)") {
            try await store.retention(workspaceId: workspace.id, RetentionDefinition(interval: .week, periods: 12),
                                      from: now.addingTimeInterval(-11 * 7 * 86_400), zone: .gmt, now: now)
        }
        _ = try await time("journey report (rollups and enrolments)") {
            try await reports.journey(workspaceId: workspace.id, key: "welcome-series", from: from, to: now)
        }
        _ = try await time("message KPIs by template, 90 days (rollups)") {
            try await reports.kpis(workspaceId: workspace.id, by: "template", from: from, to: now)
        }
        _ = try await time("attribution, last touch, 90 days (raw events)") {
            try await reports.attribution(workspaceId: workspace.id, model: .lastTouch, by: "journey", from: from, to: now)
        }
        // New events arrive; the refresh reads only them.
        var random = SeededRandom(seed: 11)
        var batch: [Event] = []
        for i in 0..<newEvents {
            let profile = Int64(1 + random.next() % 100_000)
            batch.append(Event(workspaceId: workspace.id, messageId: "bench-new-\(UUID().uuidString)-\(i)", type: .track,
                               event: ["Product Viewed", "Email Opened", "Order Completed"][i % 3], userId: "u\(profile)", profileId: profile,
                               properties: ["message_id": .int(Int64(i)), "journey": "welcome-series", "template": "welcome-1", "channel": "email"],
                               timestamp: now, receivedAt: now))
            if batch.count == 10_000 { _ = try await store.appendEvents(batch); batch.removeAll() }
        }
        if !batch.isEmpty { _ = try await store.appendEvents(batch) }
        let refreshed = try await time("incremental refresh after \(newEvents) new events") { try await rollup.refresh(workspaceId: workspace.id) }
        report.add("  events read by the refresh", Double(refreshed), "events")
        report.add("peak memory", peakMemoryMB(), "MB")
        await store.close()
        report.print(json: json)
    }
}
