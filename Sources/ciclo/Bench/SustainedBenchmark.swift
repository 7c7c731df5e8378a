import ArgumentParser
import AsyncHTTPClient
import CicloCore
import CicloStore
import Foundation
import NIOCore

/// `ciclo bench sustained`: a shop's mix sent through `/v1/batch` at rising rates to a `ciclo serve` doing all its
/// live work (profiles, 50 segments, stages, personas, journeys, loyalty); the highest rate at which the server both
/// acknowledges everything and keeps processing lag (the age of the oldest unprocessed event) under the bound.
struct SustainedBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sustained", abstract: "Highest ingest rate with bounded processing lag.")

    @Option(help: "Engine: omit for a temporary SQLite file, or a postgres:// server URL.") var database: String?
    @Option(help: "Run on an existing database (workspace bench, e.g. kept by bench scale) instead of an empty one.") var reuse: String?
    @Option(parsing: .upToNextOption, help: "Target rates in events/s, tried in order until one fails.")
    var rates: [Int] = [2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 15_000, 20_000]
    @Option(help: "Seconds each rate is held.") var stepSeconds = 30
    @Option(help: "The lag bound in seconds.") var maxLag = 5.0
    @Option(help: "Concurrent connections.") var connections = 8
    @Option(help: "Events per request.") var batch = 100
    @Option(help: "People the events belong to.") var people = 40_000
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard !rates.isEmpty, rates.allSatisfy({ (100...1_000_000).contains($0) }) else { throw ValidationError("--rates are 100 to 1,000,000.") }
        guard (5...3_600).contains(stepSeconds), maxLag > 0, maxLag.isFinite, (1...256).contains(connections),
              (1...1_000).contains(batch), (1...10_000_000).contains(people) else {
            throw ValidationError("--step-seconds 5–3,600, --max-lag above 0, --connections 1–256, --batch 1–1,000, --people 1–10,000,000.")
        }
    }

    func run() async throws {
        var report = BenchReport(benchmark: "sustained", engine: BenchDatabases.engine(reuse ?? database), parameters: [
            "stepSeconds": "\(stepSeconds)", "maxLag": "\(maxLag) s", "connections": "\(connections)", "batch": "\(batch)", "people": "\(people)",
            "database": reuse == nil ? "empty" : "reused"])
        report.echoes = !json
        let url: DatabaseURL
        if let reuse { url = try DatabaseURL(parsing: reuse) } else { url = try await BenchDatabases.fresh(base: database, label: "sustained") }
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        if reuse == nil { _ = try await store.createWorkspace(named: "bench") }
        let ws = try await store.workspace(named: "bench").id
        try await Self.prepareLiveWork(store, workspaceId: ws)
        guard let key = try await store.sources(workspaceId: ws).first(where: \.enabled)?.writeKey else {
            throw CicloError.badRequest("no_source", "Workspace bench has no enabled source to send to.")
        }
        let server = try ServerProcess(database: BenchDatabases.text(url))
        defer { server.stop() }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let load = SustainedLoad(endpoint: "http://127.0.0.1:\(server.port)/v1/batch", writeKey: key, connections: connections,
                                 batch: batch, people: people, run: UInt32.random(in: 0...UInt32.max))
        var best = 0.0, sent = 0
        for rate in rates {
            let watch = LagWatch(store: store, workspaceId: ws)
            let sampling = Task { try await watch.sample() }
            let outcome = try await load.send(client: client, rate: rate, seconds: stepSeconds, firstEvent: sent)
            sampling.cancel()
            let lag = try await watch.finish()
            sent += outcome.events
            let achieved = Double(outcome.events) / outcome.seconds
            report.add("at \(rate)/s: acknowledged", achieved, "events/s")
            report.add("  request p50 / p99", outcome.latency.value(at: .p50), String(format: "ms / %.0f ms", outcome.latency.value(at: .p99)))
            report.add("  processing lag, worst during the step", lag.worst, "s")
            report.add("  processing lag at the end of the step", lag.end, String(format: "s (%d events behind)", lag.endEvents))
            let kept = outcome.failures == 0 && achieved >= 0.95 * Double(rate) && lag.worst <= maxLag && lag.end <= maxLag
            if !kept {
                let acknowledged = "acknowledged " + String(format: "%.0f", achieved) + "/s"
                report.add("  not sustained", Double(outcome.failures), "failed requests",
                           failed: achieved < 0.95 * Double(rate) ? acknowledged : lag.worst > maxLag ? "lag over \(maxLag) s" : nil)
                break
            }
            best = achieved
            try await watch.drain(below: 1, within: .seconds(120))
        }
        try await client.shutdown()
        report.add("highest sustained rate (lag under \(maxLag) s)", best, "events/s")
        report.add("server peak memory", peakMemoryMB(pid: server.pid), "MB")
        await store.close()
        report.print(json: json)
    }

    /// What a live shop runs: a loyalty program, 50 segments, and the cart, browse and second-purchase journeys
    /// active without caps (so the engine, not a cap, decides what is sent).
    static func prepareLiveWork(_ store: Store, workspaceId ws: Int64) async throws {
        if try await store.loyaltyProgram(workspaceId: ws) == nil {
            try await store.applyLoyaltyProgram(workspaceId: ws, ["rewards": [["key": "5off", "cost": 500, "kind": "amount-off", "value": 5]]])
        }
        if try await store.segments(workspaceId: ws).count < 50 { try await SegmentsBenchmark.installExtraSegments(store, workspaceId: ws) }
        try await store.setJourneyRules(workspaceId: ws, JourneyRules())
        for key in ["abandoned-cart", "browse-abandonment", "second-purchase"] {
            guard let document = JourneyTemplates.all[key] else { continue }
            if try await store.journey(workspaceId: ws, key: key) == nil {
                _ = try await store.saveJourney(workspaceId: ws, try JourneyDefinition.parse(document))
            }
            try await store.setJourneyStatus(workspaceId: ws, key: key, .active)
        }
    }
}
