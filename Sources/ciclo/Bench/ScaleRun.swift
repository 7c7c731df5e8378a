import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// One size of `bench scale`: building the demo database, then every measured path on it.
enum ScaleRun {
    /// Loads the demo shop into workspace `bench` with a loyalty program (as `serve --demo` does), processes it with
    /// the server's live hooks, scores RFM, adds segments until 50 are active and recomputes every audience.
    static func build(_ url: DatabaseURL, profiles: Int, report: inout BenchReport) async throws {
        resetPeakMemory()
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        defer { Task { await store.close() } }
        _ = try await store.createWorkspace(named: "bench")
        let ws = try await store.workspace(named: "bench").id
        try await store.applyLoyaltyProgram(workspaceId: ws, [
            "rewards": [["key": "5off", "name": "$5 off", "cost": 500, "kind": "amount-off", "value": 5]],
        ])
        var started = ContinuousClock.now
        let events = try await DemoLoader(store: store, shop: DemoShop(.init(profiles: profiles, seed: 1, workspaceId: ws))).load()
        let loadSeconds = (ContinuousClock.now - started).seconds
        report.add("demo load", loadSeconds, "s")
        report.add("  events", Double(events), "events")
        report.add("  load throughput", Double(events) / loadSeconds, "events/s")
        report.add("  stored bytes per event after load", Double(try await store.storageBytes()) / Double(max(1, events)), "bytes")

        started = ContinuousClock.now
        let timed = TimedHooks(LiveBatchHooks.named(store: store))
        let processor = ProfileProcessor(store: store, logger: CommandLogging.quiet, hooks: timed.hooks)
        let applied = try await processor.catchUp(workspaceId: ws)
        let processSeconds = (ContinuousClock.now - started).seconds
        report.add("profile processing with live hooks", processSeconds, "s")
        report.add("  processing throughput", Double(applied) / processSeconds, "events/s")
        timed.report(await processor.phases, into: &report)
        report.add("  profiles", Double(try await store.profileCount(workspaceId: ws)), "profiles")

        let rfm = try await store.runRFM(workspaceId: ws)
        report.add("RFM scores", rfm.seconds, "s")
        try await SegmentsBenchmark.installExtraSegments(store, workspaceId: ws)
        let first = try await store.recomputeAudience(workspaceId: ws)
        report.add("first full recompute (50 segments, stages, personas)", first.seconds, "s")
        report.add("  stage changes written", Double(first.stageChanges), "changes")
        if let document = JourneyTemplates.all["welcome-series"] {
            _ = try await store.saveJourney(workspaceId: ws, try JourneyDefinition.parse(document))
        }
        report.add("peak memory while building", peakMemoryMB(), "MB")
    }

    /// Every measured path on a built database, in an order that keeps the data as built for as long as possible:
    /// the steps that add events or people (analytics' new events, live evaluation, journeys) come last.
    /// Sizes below 100,000 scale the added events down with them (a smoke run at 1,000 visitors stays quick).
    static func measure(_ url: DatabaseURL, size: Int, skipped: Set<ScaleStep>, repeats: Int, streamSeconds: Int,
                        report: inout BenchReport) async throws {
        resetPeakMemory()
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        defer { Task { await store.close() } }
        let ws = try await store.workspace(named: "bench").id
        report.parameters["events"] = "\(try await store.eventCount(workspaceId: ws))"
        if !skipped.contains(.segments) {
            try await SegmentsBenchmark.measureReadyMade(store, workspaceId: ws, report: &report)
            let again = try await store.recomputeAudience(workspaceId: ws)
            report.add("full recompute with nothing changed", again.seconds, "s")
            report.add("  stage changes written by it", Double(again.stageChanges), "changes")
            let rfm = try await store.runRFM(workspaceId: ws)
            report.add("RFM scores again", rfm.seconds, "s")
        }
        if !skipped.contains(.predictions) {
            let run = try await PredictionRunner(store: store, logger: CommandLogging.quiet).run(workspaceId: ws, asOf: Date())
            report.add("prediction run (fit, score, affinities)", run.run.seconds, "s")
            report.add("  customers scored", Double(run.scored), "customers")
        }
        if !skipped.contains(.loyalty) {
            var started = ContinuousClock.now
            let jobs = try await store.runLoyaltyJobs(workspaceId: ws)
            report.add("loyalty nightly jobs", (ContinuousClock.now - started).seconds, "s")
            report.add("  lots matured", Double(jobs.matured), "lots")
            started = ContinuousClock.now
            let check = try await store.verifyLoyalty(workspaceId: ws, repair: false)
            report.add("loyalty verify (replay every account)", (ContinuousClock.now - started).seconds, "s")
            report.add("  accounts, differences found", Double(check.accounts), "accounts", failed: check.discrepancies.isEmpty
                ? nil : "\(check.discrepancies.count) differences")
            let people = try await store.topLoyaltyMembers(workspaceId: ws, limit: 10_000).map(\.profileId)
            try await LoyaltyBenchmark.measureMemberView(store, workspaceId: ws, people: people, report: &report)
        }
        if !skipped.contains(.dashboard) { try await DashboardBenchmark.measurePages(url, repeats: repeats, report: &report) }
        if !skipped.contains(.recommend) {
            try await RecommendBenchmark.measureTrainingAndServing(store, workspaceId: ws, requests: 4_000, report: &report)
        }
        if !skipped.contains(.analytics) {
            try await AnalyticsBenchmark.measure(store, workspaceId: ws, newEvents: min(100_000, size), report: &report)
        }
        if !skipped.contains(.live) {
            try await SegmentsBenchmark.measureLive(store, workspaceId: ws, visitors: min(2_000, max(100, size / 50)), report: &report)
        }
        if !skipped.contains(.journeys) { try await measureTriggers(store, workspaceId: ws, seconds: streamSeconds, report: &report) }
        report.add("stored bytes per event", Double(try await store.storageBytes())
            / Double(max(1, try await store.eventCount(workspaceId: ws))), "bytes")
        report.add("database size", Double(try await store.storageBytes()) / 1_048_576, "MB")
        report.add("peak memory while measuring", peakMemoryMB(), "MB")
    }

    /// Trigger-to-outbox at 1,000 events/s for `seconds` while every live hook runs, on the built database: the bench
    /// journey is saved and activated, without caps or quiet hours so that what is measured is the engine.
    static func measureTriggers(_ store: Store, workspaceId ws: Int64, seconds: Int, report: inout BenchReport) async throws {
        try await store.setJourneyRules(workspaceId: ws, JourneyRules())
        if try await store.journey(workspaceId: ws, key: "bench") == nil {
            _ = try await store.saveJourney(workspaceId: ws, try JourneyDefinition.parse(try JSONValue.parse(JourneysBenchmark.journey)))
        }
        try await store.setJourneyStatus(workspaceId: ws, key: "bench", .active)
        try await JourneysBenchmark.measureTriggerLatency(store, workspaceId: ws, rate: 1_000, seconds: seconds, people: 10_000,
                                                          hooks: LiveBatchHooks.all(store: store), report: &report)
    }

    /// Starts a new peak for `peakMemoryMB` (Linux: writing 5 to clear_refs resets VmHWM), so each size reports its own.
    static func resetPeakMemory() {
        do { try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) } catch {
            FileHandle.standardError.write(Data("Peak memory is not reset between sizes (\(error)); it is the process's peak.\n".utf8))
        }
    }
}
