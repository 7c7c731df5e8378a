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
        try await Self.measure(store, workspaceId: try await store.workspace(named: "bench").id, newEvents: newEvents, report: &report)
        report.add("peak memory", peakMemoryMB(), "MB")
        await store.close()
        report.print(json: json)
    }

    /// Rollup rebuild, funnel, retention, journey report, KPIs and attribution on workspace `workspaceId`, then
    /// `newEvents` new events and the incremental refresh that reads only them.
    static func measure(_ store: Store, workspaceId: Int64, newEvents: Int, report: inout BenchReport) async throws {
        let reports = AnalyticsReports(store: store), rollup = AnalyticsRollup(store: store)
        let now = Date(), from = now.addingTimeInterval(-90 * 86_400)
        func time<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
            let started = ContinuousClock.now
            let value = try await body()
            report.add(name, (ContinuousClock.now - started).seconds * 1000, "ms")
            return value
        }
        report.parameters["events"] = "\(try await store.eventCount(workspaceId: workspaceId))"
        let rebuilt = try await time("rollup rebuild from the whole log") { try await rollup.rebuild(workspaceId: workspaceId) }
        report.add("  events rolled up", Double(rebuilt), "events")
        let funnel = try FunnelDefinition.parse(["steps": [["event": "Product Viewed"], ["event": "Product Added"], ["event": "Order Completed"]]])
        let result = try await time("3-step funnel over 90 days (raw events)") {
            try await reports.funnel(workspaceId: workspaceId, funnel, stepNames: ["viewed", "added", "ordered"], from: from, to: now, now: now)
        }
        report.add("  people at step 1 / 3", Double(result.groups.first?.steps.first?.people ?? 0), "people")
        _ = try await time("12-week retention, first time (raw events)") {
            try await store.retention(workspaceId: workspaceId, RetentionDefinition(interval: .week, periods: 12),
                                      from: now.addingTimeInterval(-11 * 7 * 86_400), zone: .gmt, now: now)
        }
        _ = try await time("journey report (rollups and enrolments)") {
            try await reports.journey(workspaceId: workspaceId, key: "welcome-series", from: from, to: now)
        }
        _ = try await time("message KPIs by template, 90 days (rollups)") {
            try await reports.kpis(workspaceId: workspaceId, by: "template", from: from, to: now)
        }
        _ = try await time("attribution, last touch, 90 days (raw events)") {
            try await reports.attribution(workspaceId: workspaceId, model: .lastTouch, by: "journey", from: from, to: now)
        }
        // New events arrive; the refresh reads only them.
        var random = SeededRandom(seed: 11)
        var batch: [Event] = []
        for i in 0..<newEvents {
            let profile = Int64(1 + random.next() % 100_000)
            batch.append(Event(workspaceId: workspaceId, messageId: "bench-new-\(UUID().uuidString)-\(i)", type: .track,
                               event: ["Product Viewed", "Email Opened", "Order Completed"][i % 3], userId: "u\(profile)", profileId: profile,
                               properties: ["message_id": .int(Int64(i)), "journey": "welcome-series", "template": "welcome-1", "channel": "email"],
                               timestamp: now, receivedAt: now))
            if batch.count == 10_000 { _ = try await store.appendEvents(batch); batch.removeAll() }
        }
        if !batch.isEmpty { _ = try await store.appendEvents(batch) }
        let refreshed = try await time("incremental refresh after the new events") { try await rollup.refresh(workspaceId: workspaceId) }
        report.add("  events read by the refresh", Double(refreshed), "events")
    }
}
