import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Synchronization

/// `ciclo bench segments`: each ready-made segment computed from scratch on demo data, and the latency live
/// evaluation adds per event with 50 active segments and a lifecycle model.
struct SegmentsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "segments", abstract: "Segment computation and live evaluation.")

    @Option(help: "Engine: omit for a temporary SQLite file, or a postgres:// server URL.") var database: String?
    @Option(help: "Demo visitors to load first.") var profiles = 100_000
    @Option(help: "New visitors streamed through live evaluation.") var liveVisitors = 2_000
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var report = BenchReport(benchmark: "segments", engine: BenchDatabases.engine(database),
                                 parameters: ["profiles": "\(profiles)", "liveVisitors": "\(liveVisitors)"])
        let url = try await BenchDatabases.fresh(base: database, label: "segments")
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        _ = try await store.createWorkspace(named: "bench")
        let workspace = try await store.workspace(named: "bench")
        let events = try await DemoLoader(store: store, shop: DemoShop(.init(profiles: profiles, seed: 1, workspaceId: workspace.id))).load()
        try await ProfileProcessor(store: store, logger: CommandLogging.quiet).catchUp(workspaceId: workspace.id)
        _ = try await store.runRFM(workspaceId: workspace.id)
        report.add("events", Double(events), "events")

        try await Self.measureReadyMade(store, workspaceId: workspace.id, report: &report)
        try await Self.installExtraSegments(store, workspaceId: workspace.id)
        let full = try await store.recomputeAudience(workspaceId: workspace.id)
        report.add("full reconcile (50 segments, stages)", full.seconds, "s")
        try await Self.measureLive(store, workspaceId: workspace.id, visitors: liveVisitors, report: &report)
        report.add("peak memory", peakMemoryMB(), "MB")
        await store.close()
        report.print(json: json)
        await BenchDatabases.discard(url, base: database)
    }

    /// Each ready-made segment computed from scratch: its time, and its member count on a line of its own so the
    /// figure's name stays the same at every size (`bench scale` lines sizes up by name).
    static func measureReadyMade(_ store: Store, workspaceId: Int64, report: inout BenchReport) async throws {
        for segment in SegmentDefinition.readyMade {
            let started = ContinuousClock.now
            let members = try await store.matchingProfileIds(workspaceId: workspaceId, condition: segment.condition)
            report.add("segment \(segment.key) from scratch", (ContinuousClock.now - started).seconds * 1000, "ms")
            report.add("  \(segment.key) members", Double(members.count), "people")
        }
    }

    /// Adds varied segments until 50 are active.
    static func installExtraSegments(_ store: Store, workspaceId: Int64) async throws {
        for i in 0..<(50 - SegmentDefinition.readyMade.count) {
            try await store.saveSegment(workspaceId: workspaceId, Self.extraSegment(i), create: true)
        }
    }

    /// New visitors stream in small batches; the live hook's time per batch, divided by its events, is what live
    /// evaluation adds per event.
    static func measureLive(_ store: Store, workspaceId: Int64, visitors: Int, report: inout BenchReport) async throws {
        let timings = Mutex<[Double]>([])
        let live = LiveAudience(store: store).hook
        let timed: ProfileProcessor.BatchHook = { result, session in
            guard !result.profiles.isEmpty else { return }  // batches of Ciclo's own events evaluate nobody
            let started = ContinuousClock.now
            try await live(result, session)
            let perEvent = (ContinuousClock.now - started).seconds * 1000 / Double(max(1, result.events.count))
            timings.withLock { $0.append(perEvent) }
        }
        let processor = ProfileProcessor(store: store, logger: CommandLogging.quiet, batchSize: 200, hooks: [timed])
        let stream = DemoShop(.init(profiles: visitors, seed: 99, workspaceId: workspaceId))
        for chunk in stride(from: 0, to: visitors, by: 100) {
            try await store.appendEvents(stream.events(forVisitors: chunk..<min(chunk + 100, visitors)).map {
                var e = $0
                e.messageId = "live-" + e.messageId
                return e
            })
            try await processor.catchUp(workspaceId: workspaceId)
        }
        var recorder = LatencyRecorder()
        for ms in timings.withLock({ $0 }) { recorder.record(.nanoseconds(Int64(ms * 1_000_000))) }
        report.add("live evaluation per event p50", recorder.value(at: .p50), "ms")
        report.add("live evaluation per event p99", recorder.value(at: .p99), "ms")
    }

    /// Varied extra segments so 50 are active: traits, attributes, behaviour with windows and filters.
    static func extraSegment(_ i: Int) -> SegmentDefinition {
        let conditions: [Condition] = [
            .attribute(.totalRevenue, ValueTest(.gte, .int(Int64(50 * (i + 1))))),
            .event(EventCondition(EventMatch(name: "Product Viewed"), window: .last(.days(Double(7 + i))), measure: .count(.atLeast, 3))),
            .all([.attribute(.country, ValueTest(.equals, .string(["US", "IT", "DE", "GB"][i % 4]))), .attribute(.orderCount, ValueTest(.gte, 1))]),
            .event(EventCondition(EventMatch(name: "Order Completed", filters: [("revenue", ValueTest(.gt, .int(Int64(20 * i))))]),
                                  window: .last(.days(90)))),
            .trait("city", ValueTest(.equals, .string(["Rome", "London", "Tokyo", "Berlin"][i % 4]))),
            .any([.event(EventCondition(EventMatch(name: "Email Opened"), window: .last(.days(Double(14 + i))))), .stage("fulfil", forAtLeast: nil)]),
        ]
        return SegmentDefinition(key: "bench-\(i)", name: "Bench \(i)", condition: conditions[i % conditions.count])
    }
}
