import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo bench demo`: how fast the demo shop fills a fresh database (generation overlapped with bulk writes).
struct DemoBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Demo data generation and bulk load.")

    @Option(help: "Engine: omit for a temporary SQLite file, or a postgres:// server URL.") var database: String?
    @Option(help: "Visitors to generate.") var profiles = 100_000
    @Option(help: "Days of history.") var days = 365
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var report = BenchReport(benchmark: "demo", engine: BenchDatabases.engine(database),
                                 parameters: ["profiles": "\(profiles)", "days": "\(days)"])
        let shop = DemoShop(.init(profiles: min(profiles, 20_000), days: days, seed: 1))
        let generationStart = ContinuousClock.now
        let sample = shop.events(forVisitors: 0..<min(profiles, 20_000))
        report.add("generation alone", Double(sample.count) / (ContinuousClock.now - generationStart).seconds, "events/s")

        let url = try await BenchDatabases.fresh(base: database, label: "demo")
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        _ = try await store.createWorkspace(named: "bench")
        let workspace = try await store.workspace(named: "bench")
        let started = ContinuousClock.now
        let written = try await DemoLoader(store: store, shop: DemoShop(.init(
            profiles: profiles, days: days, seed: 1, workspaceId: workspace.id))).load()
        let elapsed = (ContinuousClock.now - started).seconds
        await store.close()
        report.add("events written", Double(written), "events")
        report.add("load time", elapsed, "s")
        report.add("load throughput", Double(written) / elapsed, "events/s")
        report.add("peak memory", peakMemoryMB(), "MB")
        await BenchDatabases.discard(url, base: database)
        report.print(json: json)
    }
}

/// `ciclo bench all`: every benchmark in turn with its defaults, on one engine.
struct AllBenchmarks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Run every benchmark in turn.")

    @Option(help: "Engine: omit for temporary SQLite files, or a postgres:// server URL.") var database: String?
    @Flag(help: "Print JSON lines.") var json = false

    func run() async throws {
        var commands: [any AsyncParsableCommand] = []
        var flags = database.map { ["--database", $0] } ?? []
        if json { flags.append("--json") }
        commands.append(try DemoBenchmark.parse(flags))
        commands.append(try IngestBenchmark.parse(flags))
        commands.append(try ProfilesBenchmark.parse(flags))
        commands.append(try SegmentsBenchmark.parse(flags))
        commands.append(try JourneysBenchmark.parse(flags))
        commands.append(try EmailBenchmark.parse(json ? ["--json"] : []))
        for var command in commands { try await command.run() }
    }
}
