import ArgumentParser
import CicloCore
import CicloStore
import Foundation

/// `ciclo bench predict`: simulate customers from the CDNOW parameters, fit BG/NBD and Gamma-Gamma, score everyone;
/// compare with lifetimes when a Python with it is given; time the order summary over stored events.
struct PredictBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Model fitting and scoring at scale.")

    @Option(help: "Customers to simulate.") var customers = 1_000_000
    @Option(help: "Order events to store and summarise (0 skips the store part).") var events = 10_000_000
    @Option(help: "Engine for the summary: omit for SQLite, or a postgres:// server URL.") var database: String?
    @Option(name: .customLong("lifetimes-python"), help: "A Python with lifetimes installed, to fit the same data (env CICLO_LIFETIMES_PYTHON).")
    var lifetimesPython: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var report = BenchReport(benchmark: "predict", engine: BenchDatabases.engine(database),
                                 parameters: ["customers": "\(customers)", "events": "\(events)"])
        let truth = BGNBD(r: 0.2425945, alpha: 4.413589, a: 0.7929, b: 2.425881)
        let spendTruth = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
        var started = ContinuousClock.now
        let histories = truth.simulate(customers: customers, seed: 42, spend: spendTruth, dailyResolution: true)
        report.add("simulate", (ContinuousClock.now - started).seconds, "s")
        started = ContinuousClock.now
        let fit = try BGNBD.fit(histories)
        let fitSeconds = (ContinuousClock.now - started).seconds
        report.add("BG/NBD fit", fitSeconds, "s")
        report.add(String(format: "  r %.4f alpha %.4f a %.4f b %.4f (%d iterations)", fit.model.r, fit.model.alpha, fit.model.a, fit.model.b,
                          fit.iterations), fit.logLikelihood, "log-lik")
        started = ContinuousClock.now
        let spend = try GammaGamma.fit(histories)
        report.add("Gamma-Gamma fit", (ContinuousClock.now - started).seconds, "s")
        report.add(String(format: "  p %.4f q %.4f gamma %.4f", spend.model.p, spend.model.q, spend.model.gamma), spend.logLikelihood, "log-lik")
        started = ContinuousClock.now
        let scores = CustomerScoring(purchases: fit.model, spend: spend.model).score(histories, fallbackOrderValue: 0, scoredAt: 0)
        report.add("score everyone (P(alive), 90-day orders, 30-day purchase, order value, 12-month CLV)", (ContinuousClock.now - started).seconds, "s")
        report.add("mean predicted CLV", scores.compactMap(\.predictedClv12m).reduce(0, +) / Double(max(1, scores.count)), "$")
        report.add("peak memory", peakMemoryMB(), "MB")

        if let python = lifetimesPython ?? ProcessInfo.processInfo.environment["CICLO_LIFETIMES_PYTHON"] {
            if let seconds = try lifetimes(python: python, histories: histories, report: &report) {
                report.add("lifetimes BG/NBD fit ÷ ours", seconds / fitSeconds, "×")
            }
        } else {
            report.add("lifetimes not run (pass --lifetimes-python or set CICLO_LIFETIMES_PYTHON)", 0, "")
        }
        if events > 0 { try await summary(&report) }
        report.print(json: json)
    }

    /// Writes the histories to CSV and runs scripts/bench-lifetimes.py on them.
    func lifetimes(python: String, histories: [CustomerHistory], report: inout BenchReport) throws -> Double? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ciclo-lifetimes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = "frequency,recency,T,monetary_value\n"
        csv.reserveCapacity(histories.count * 40)
        for h in histories { csv += "\(h.frequency),\(h.recency),\(h.age),\(h.monetary)\n" }
        let path = dir.appendingPathComponent("histories.csv").path
        try csv.write(toFile: path, atomically: false, encoding: .utf8)
        let script = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/bench-lifetimes.py").standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [FileManager.default.fileExists(atPath: script) ? script : "scripts/bench-lifetimes.py", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("lifetimes") { report.add(String(line), 0, "") }
        return text.split(separator: "\n").first { $0.hasPrefix("LIFETIMES_FIT_SECONDS") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// Stores `events` orders of 1,000,000 customers (profile ids set, as after processing) and times the summary query.
    func summary(_ report: inout BenchReport) async throws {
        let url = try await BenchDatabases.fresh(base: database, label: "predict")
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        _ = try await store.createWorkspace(named: "bench")
        let workspace = try await store.workspace(named: "bench")
        var random = SeededRandom(seed: 7)
        let people = min(1_000_000, max(1, events / 10))
        let end = Date(), start = end.addingTimeInterval(-365 * 86_400)
        var started = ContinuousClock.now
        var batch: [Event] = []
        batch.reserveCapacity(10_000)
        for i in 0..<events {
            let profile = Int64(1 + random.next() % UInt64(people))
            let at = Date(timeIntervalSince1970: start.timeIntervalSince1970 + random.uniform() * 365 * 86_400)
            batch.append(Event(workspaceId: workspace.id, messageId: "bench-order-\(i)", type: .track, event: "Order Completed",
                               userId: "u\(profile)", profileId: profile, properties: ["order_id": .string("o\(i)"), "revenue": .double(10 + Double(i % 90))],
                               timestamp: at, receivedAt: at))
            if batch.count == 10_000 {
                _ = try await store.appendEvents(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { _ = try await store.appendEvents(batch) }
        report.add("store \(events) order events", (ContinuousClock.now - started).seconds, "s")
        started = ContinuousClock.now
        let histories = try await store.orderHistories(workspaceId: workspace.id, calibrationEndDay: Int(end.timeIntervalSince1970 / 86_400))
        report.add("summary query (\(histories.count) customers from \(events) events)", (ContinuousClock.now - started).seconds, "s")
        await store.close()
        await BenchDatabases.discard(url, base: database)
    }
}
