import AsyncHTTPClient
import ArgumentParser
import CicloCore
import CicloStore
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// `ciclo bench ingest`: events per second through `/v1/batch` over concurrent connections to a separate
/// `ciclo serve`, beside the ceiling of writing the same events straight through the store.
struct IngestBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Tracking API throughput and latency.")

    @Option(help: "Engine to run on: omit for a temporary SQLite file, or a postgres:// server URL (a fresh database is created on it).")
    var database: String?
    @Option(help: "Events to send.") var events = 200_000
    @Option(help: "Concurrent connections.") var connections = 8
    @Option(help: "Events per request (the Python SDK sends 100).") var batch = 100
    @Option(help: "Load an already running server at this base URL instead of starting one (needs --write-key).")
    var url: String?
    @Option(name: .customLong("write-key"), help: "Write key for --url.") var writeKey: String?
    @Flag(name: .customLong("skip-direct"), help: "Skip the direct store ceiling.") var skipDirect = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var report = BenchReport(benchmark: "ingest", engine: BenchDatabases.engine(database),
                                 parameters: ["events": "\(events)", "connections": "\(connections)", "batch": "\(batch)"])
        if !skipDirect { try await measureDirect(into: &report) }
        try await measureHTTP(into: &report)
        report.print(json: json)
    }

    /// The ceiling: the same events appended through the store in the writer's batch size, no HTTP.
    private func measureDirect(into report: inout BenchReport) async throws {
        let url = try await BenchDatabases.fresh(base: database, label: "direct")
        let store = try await Store.open(url, logger: CommandLogging.quiet)
        let credentials = try await store.createWorkspace(named: "bench")
        let workspace = try await store.workspace(named: credentials.workspace)
        let run = UInt32.random(in: 0...UInt32.max)
        let reader = TrackingMessage(workspaceId: workspace.id, sourceId: 1, receivedAt: Date())
        let all = try (0..<events).map { i in
            try reader.read(try JSONValue.parse(BenchEvents.json(i, run: run)), impliedType: nil).get()
        }
        let started = ContinuousClock.now
        for chunk in stride(from: 0, to: all.count, by: 5_000) {
            try await store.appendEvents(Array(all[chunk..<min(chunk + 5_000, all.count)]))
        }
        let elapsed = (ContinuousClock.now - started).seconds
        await store.close()
        report.add("direct store writes", Double(events) / elapsed, "events/s")
    }

    private func measureHTTP(into report: inout BenchReport) async throws {
        var server: ServerProcess?
        let base: String
        let key: String
        if let url, let writeKey {
            base = url
            key = writeKey
        } else {
            let databaseURL = try await BenchDatabases.fresh(base: database, label: "http")
            let store = try await Store.open(databaseURL, logger: CommandLogging.quiet)
            key = try await store.createWorkspace(named: "bench").writeKey
            await store.close()
            let started = try ServerProcess(database: BenchDatabases.text(databaseURL))
            server = started
            base = "http://127.0.0.1:\(started.port)"
        }
        defer { server?.stop() }

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let endpoint = base + "/v1/batch"
        let auth = "Basic " + Data("\(key):".utf8).base64EncodedString()
        let requests = (events + batch - 1) / batch
        let next = SharedCounter()
        let failures = SharedCounter()
        let run = UInt32.random(in: 0...UInt32.max)
        let batchSize = batch
        let total = events

        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: LatencyRecorder.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var recorder = LatencyRecorder()
                    while true {
                        let r = next.increment()
                        if r >= requests { break }
                        let first = r * batchSize
                        let body = BenchEvents.batchBody(first..<min(first + batchSize, total), run: run)
                        var request = HTTPClientRequest(url: endpoint)
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: auth)
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(ByteBuffer(string: body))
                        let sent = ContinuousClock.now
                        let response = try await client.execute(request, timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        recorder.record(ContinuousClock.now - sent)
                        if response.status != .ok { _ = failures.increment() }
                    }
                    return recorder
                }
            }
            var all = LatencyRecorder()
            for try await recorder in group { all.merge(recorder) }
            return all
        }
        let elapsed = (ContinuousClock.now - started).seconds
        try await client.shutdown()
        report.add("HTTP /v1/batch", Double(events) / elapsed, "events/s")
        report.add("request latency p50", latencies.value(at: .p50), "ms")
        report.add("request latency p99", latencies.value(at: .p99), "ms")
        report.add("failed requests", Double(failures.value), "")
        if let server { report.add("server peak memory", peakMemoryMB(pid: server.pid), "MB") }
    }
}

/// Synthetic tracking messages of realistic size and shape, unique per run and index.
enum BenchEvents {
    static let names = ["Product Viewed", "Product Added", "Page Viewed", "Checkout Started", "Order Completed"]

    static func json(_ i: Int, run: UInt32) -> String {
        let sku = i % 997
        return """
            {"type":"track","messageId":"bench-\(run)-\(i)","userId":"user-\(i % 50_000)","event":"\(names[i % names.count])",\
            "properties":{"product_id":"sku-\(sku)","price":\(Double(sku % 90) + 9.99),"category":"Shoes","brand":"Ciclo","quantity":1},\
            "context":{"ip":"10.0.\(i % 250).1","library":{"name":"analytics-python","version":"2.4.0"},\
            "page":{"url":"https://shop.example.com/p/sku-\(sku)","referrer":"https://www.google.com/"},\
            "userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"},\
            "timestamp":"2026-11-20T10:\(String(format: "%02d", i % 60)):00.000Z"}
            """
    }

    static func batchBody(_ range: Range<Int>, run: UInt32) -> String {
        "{\"batch\":[" + range.map { json($0, run: run) }.joined(separator: ",") + "],\"sentAt\":\"2026-11-20T11:00:00.000Z\"}"
    }
}
