import CicloCore
import CicloEngine
import Synchronization

/// The server's live hooks, each timed as it runs, so `bench scale` can say which part of profile processing is slow.
final class TimedHooks: Sendable {
    private let names: [String]
    private let totals: Totals
    /// The hooks to give the processor, in the server's order.
    let hooks: [ProfileProcessor.BatchHook]

    init(_ named: [(name: String, hook: ProfileProcessor.BatchHook)]) {
        names = named.map(\.name)
        let totals = Totals(count: named.count)
        self.totals = totals
        hooks = named.enumerated().map { index, entry in
            { result, session in
                let started = ContinuousClock.now
                try await entry.hook(result, session)
                let spent = ContinuousClock.now - started
                totals.spent.withLock { $0[index] += spent }
            }
        }
    }

    /// Adds the processor's phases and each hook's share of the write, in seconds, under the processing figure.
    func report(_ phases: ProcessingPhases, into report: inout BenchReport) {
        report.add("  batches", Double(phases.batches), "batches")
        report.add("  reading events", phases.read.seconds, "s")
        report.add("  resolving identities", phases.resolve.seconds, "s")
        report.add("  refolding merged profiles", phases.recompute.seconds, "s")
        let spent = totals.spent.withLock { $0 }
        let hooksTotal = spent.reduce(Duration.zero, +)
        report.add("  writing profiles, identities and cursor", (phases.write - hooksTotal).seconds, "s")
        for (name, total) in zip(names, spent) { report.add("  live hook: \(name)", total.seconds, "s") }
    }

    /// The time each hook has taken, shared by the hooks' closures.
    private final class Totals: Sendable {
        let spent: Mutex<[Duration]>
        init(count: Int) { spent = Mutex([Duration](repeating: .zero, count: count)) }
    }
}
