import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo bench journeys`: a three-step journey (message, wait, message) for many people — step executions per
/// second — and the delay from a triggering event's arrival to its message in the outbox while events stream in.
struct JourneysBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "journeys", abstract: "Journey throughput and trigger-to-outbox latency.")

    @Option(help: "Engine: omit for a temporary SQLite file, or a postgres:// server URL.") var database: String?
    @Option(help: "People enrolled.") var profiles = 100_000
    @Option(help: "Events per second during the latency phase.") var rate = 1_000
    @Option(help: "Seconds of streaming in the latency phase.") var seconds = 10
    @Flag(help: "Print JSON.") var json = false

    static let journey = #"""
        {"key": "bench", "name": "Bench", "trigger": {"event": "Bench Trigger"}, "entry": {"frequency": "always"}, "start": "first",
         "steps": {"first": {"type": "message", "channel": "push", "template": "t", "next": "wait"},
                   "wait": {"type": "wait", "duration": {"hours": 1}, "next": "second"},
                   "second": {"type": "message", "channel": "push", "template": "t"}}}
        """#

    func run() async throws {
        var report = BenchReport(benchmark: "journeys", engine: BenchDatabases.engine(database),
                                 parameters: ["profiles": "\(profiles)", "rate": "\(rate)/s", "seconds": "\(seconds)"])
        let url = try await BenchDatabases.fresh(base: database, label: "journeys")
        let clock = ManualClock(Date())
        let store = try await Store.open(url, clock: clock, logger: CommandLogging.quiet)
        _ = try await store.createWorkspace(named: "bench")
        let ws = try await store.workspace(named: "bench").id
        try await store.setJourneyRules(workspaceId: ws, JourneyRules())  // no caps or quiet hours: measure the engine
        _ = try await store.saveJourney(workspaceId: ws, try JourneyDefinition.parse(try JSONValue.parse(Self.journey)))
        try await store.setJourneyStatus(workspaceId: ws, key: "bench", .active)
        let people = ProfileProcessor(store: store, clock: clock, logger: CommandLogging.quiet)
        func event(_ i: Int, _ name: String, at: Date) -> Event {
            Event(workspaceId: ws, messageId: "\(name)-\(i)-\(at.timeIntervalSince1970)", type: .track, event: name, userId: "user-\(i)",
                  timestamp: at, receivedAt: at)
        }
        for chunk in stride(from: 0, to: profiles, by: 5_000) {
            try await store.appendEvents((chunk..<min(chunk + 5_000, profiles)).map { event($0, "Signed Up", at: clock.now()) })
        }
        try await people.catchUp(workspaceId: ws)

        // Throughput: every trigger enrols and runs the first message step inside the profile batch.
        let triggers = ProfileProcessor(store: store, clock: clock, logger: CommandLogging.quiet,
                                        hooks: [JourneyTriggers(store: store, clock: clock).hook])
        for chunk in stride(from: 0, to: profiles, by: 5_000) {
            try await store.appendEvents((chunk..<min(chunk + 5_000, profiles)).map { event($0, "Bench Trigger", at: clock.now()) })
        }
        var started = ContinuousClock.now
        try await triggers.catchUp(workspaceId: ws)
        let enrolSeconds = (ContinuousClock.now - started).seconds
        report.add("enrol + first step", Double(profiles) / enrolSeconds, "enrolments/s")
        clock.advance(by: 3_601)
        let scheduler = JourneyScheduler(store: store, clock: clock, logger: CommandLogging.quiet, batchSize: 2_000)
        started = ContinuousClock.now
        while try await scheduler.runDue() > 0 {}
        let stepSeconds = (ContinuousClock.now - started).seconds
        report.add("scheduled steps (wait ends, message)", Double(2 * profiles) / stepSeconds, "step executions/s")

        // Latency: events stream in at `rate` per second on the real clock; processor and hook run as they would.
        let liveStore = Store(database: store.database, clock: SystemClock())
        try await Self.measureTriggerLatency(liveStore, workspaceId: ws, rate: rate, seconds: seconds, people: profiles,
                                             hooks: [JourneyTriggers(store: liveStore).hook], report: &report)
        report.add("peak memory", peakMemoryMB(), "MB")
        await store.close()
        report.print(json: json)
    }

    /// Streams `Bench Trigger` events for `people` users at `rate` per second for `seconds` on the real clock, with a
    /// live processor running `hooks`, and reports the delay from each event to its message in the outbox. Journey
    /// `bench` must be active in the workspace.
    static func measureTriggerLatency(_ liveStore: Store, workspaceId ws: Int64, rate: Int, seconds: Int, people: Int,
                                      hooks: [ProfileProcessor.BatchHook], report: inout BenchReport) async throws {
        func event(_ i: Int, at: Date) -> Event {
            Event(workspaceId: ws, messageId: "Bench Trigger-\(i)-\(at.timeIntervalSince1970)", type: .track, event: "Bench Trigger",
                  userId: "user-\(i)", timestamp: at, receivedAt: at)
        }
        let live = ProfileProcessor(store: liveStore, logger: CommandLogging.quiet, batchSize: 2_000, pollInterval: .milliseconds(20), hooks: hooks)
        let runner = Task { try await live.run() }
        let firstId = try await liveStore.outboxHighWater()
        let tick = 0.05
        let perTick = max(1, Int(Double(rate) * tick))
        var sent = 0
        let streamStart = ContinuousClock.now
        while (ContinuousClock.now - streamStart).seconds < Double(seconds) {
            let now = Date()
            try await liveStore.appendEvents((0..<perTick).map { event((sent + $0) % max(1, people), at: now) })
            live.nudge()
            sent += perTick
            let next = streamStart + .milliseconds(Int((Double(sent) / Double(rate)) * 1000))
            if next > ContinuousClock.now { try await Task.sleep(until: next, clock: .continuous) }
        }
        try await Task.sleep(for: .seconds(2))
        runner.cancel()
        let delays = try await liveStore.triggerToOutboxDelays(workspaceId: ws, afterOutboxId: firstId, triggerEvent: "Bench Trigger")
        var recorder = LatencyRecorder()
        for ms in delays { recorder.record(.milliseconds(ms)) }
        report.add("streamed events", Double(sent), "events")
        report.add("messages from the stream", Double(delays.count), "messages")
        report.add("trigger-to-outbox p50", recorder.value(at: .p50), "ms")
        report.add("trigger-to-outbox p99", recorder.value(at: .p99), "ms")
    }
}
