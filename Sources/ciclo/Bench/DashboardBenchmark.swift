import ArgumentParser
import AsyncHTTPClient
import CicloCore
import CicloEngine
import CicloStore
import Foundation
import NIOCore
import NIOHTTP1

/// `ciclo bench dashboard`: how long each dashboard page takes to answer over HTTP on demo data, from a real
/// `ciclo serve`. `--keep` leaves the database for `--reuse`, so a million-profile set is built once.
struct DashboardBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dashboard", abstract: "Dashboard page times on demo data.")

    @Option(help: "Engine: omit for a temporary SQLite file, or a postgres:// server URL.") var database: String?
    @Option(help: "Demo visitors to load first.") var profiles = 100_000
    @Option(help: "Measure an existing database (workspace bench) instead of building one.") var reuse: String?
    @Flag(help: "Keep the database built and print its URL.") var keep = false
    @Option(help: "Requests per page.") var repeats = 5
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let url: DatabaseURL
        var report = BenchReport(benchmark: "dashboard", engine: BenchDatabases.engine(reuse ?? database),
                                 parameters: ["profiles": reuse == nil ? "\(profiles)" : "reused", "repeats": "\(repeats)"])
        if let reuse {
            url = try DatabaseURL(parsing: reuse)
        } else {
            url = try await BenchDatabases.fresh(base: database, label: "dashboard")
            let built = try await Self.build(url, profiles: profiles)
            report.add("build: load and process demo", built, "s")
        }
        try await Self.measurePages(url, repeats: repeats, report: &report)
        if keep { say("Database kept: \(BenchDatabases.text(url))") } else if reuse == nil { await BenchDatabases.discard(url, base: database) }
        report.print(json: json)
    }

    /// The dashboard's pages, in the order a marketer opens them: the label (the same at every size) and the path.
    static func pages(customer: Int64, biggestSegment: String) -> [(label: String, path: String)] {
        ["/overview?days=30", "/overview?days=365", "/lifecycle", "/people", "/people?q=ada", "/people/:id", "/segments",
         "/segments/:largest", "/segments/new", "/journeys", "/journeys/welcome-series", "/templates", "/templates/welcome-1", "/messages",
         "/analytics", "/predictions", "/loyalty", "/content", "/settings"].map { label in
            (label, label.replacingOccurrences(of: ":id", with: "\(customer)").replacingOccurrences(of: ":largest", with: biggestSegment))
        }
    }

    /// Signs a bench user in, starts `ciclo serve` on the database and times `repeats` requests to every page (the
    /// median). A page that errs or gives no answer in `timeout` is reported as failed and the others still run.
    static func measurePages(_ url: DatabaseURL, repeats: Int, timeout: Int64 = 120, report: inout BenchReport) async throws {
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        let workspace = try await store.workspace(named: "bench")
        var user = try await store.dashboardUser(email: "bench@ciclo.localhost")
        if user == nil {
            user = try await store.addDashboardUser(email: "bench@ciclo.localhost", passwordHash: "-", workspaceId: workspace.id, role: .admin)
        }
        guard let user else { return }
        let session = try await store.startDashboardSession(userId: user.id)
        let customer = try await store.findProfiles(workspaceId: workspace.id, limit: 1).first?.id ?? 1
        let biggest = try await store.segments(workspaceId: workspace.id).max { $0.memberCount < $1.memberCount }?.definition.key ?? "vip"
        report.parameters["people"] = "\(try await store.profileCount(workspaceId: workspace.id))"
        await store.close()

        let server = try ServerProcess(database: BenchDatabases.text(url))
        defer { server.stop() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        for (label, page) in pages(customer: customer, biggestSegment: biggest) {
            var recorder = LatencyRecorder()
            var failure: String?
            for _ in 0..<repeats where failure == nil {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)\(page)")
                request.headers.add(name: "Cookie", value: "ciclo_session=\(session)")
                let started = ContinuousClock.now
                do {
                    let response = try await client.execute(request, timeout: .seconds(timeout))
                    _ = try await response.body.collect(upTo: 32 << 20)
                    recorder.record(ContinuousClock.now - started)
                    if response.status != .ok { failure = "HTTP \(response.status.code)" }
                } catch {
                    failure = "no answer in \(timeout) s (\(error))"
                }
            }
            report.add("page \(label) median", recorder.value(at: .p50), "ms", failed: failure)
        }
        try await client.shutdown()
        report.add("server peak memory", peakMemoryMB(pid: server.pid), "MB")
    }

    /// Loads the demo shop into workspace `bench`, processes it, scores RFM, computes audiences, installs a journey.
    static func build(_ url: DatabaseURL, profiles: Int) async throws -> Double {
        let started = ContinuousClock.now
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        _ = try await store.createWorkspace(named: "bench")
        let workspace = try await store.workspace(named: "bench")
        _ = try await DemoLoader(store: store, shop: DemoShop(.init(profiles: profiles, seed: 1, workspaceId: workspace.id))).load()
        let processor = ProfileProcessor(store: store, logger: CommandLogging.quiet,
                                         hooks: [LiveAudience(store: store).hook])
        try await processor.catchUp(workspaceId: workspace.id)
        _ = try await store.runRFM(workspaceId: workspace.id)
        _ = try await store.recomputeAudience(workspaceId: workspace.id)
        if let document = JourneyTemplates.all["welcome-series"] {
            _ = try await store.saveJourney(workspaceId: workspace.id, try JourneyDefinition.parse(document))
        }
        await store.close()
        return (ContinuousClock.now - started).seconds
    }
}
