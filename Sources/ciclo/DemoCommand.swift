import ArgumentParser
import AsyncHTTPClient
import CicloCore
import CicloEngine
import CicloStore
import Foundation
import NIOCore
import NIOHTTP1

/// `ciclo demo`: fills a workspace with a realistic synthetic shop, straight through the store or through the API.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Generate a realistic demo shop (deterministic for a seed).")

    @OptionGroup var db: DatabaseOption
    @Option(help: "Visitors to generate (each becomes a profile).") var profiles = 3_000
    @Option(help: "Days of history ending today.") var days = 365
    @Option(help: "Random seed; the same seed gives the same data.") var seed: UInt64 = 1
    @Option(help: "Last day of history (YYYY-MM-DD, UTC); default today.") var end: String?
    @Option(help: "Workspace to fill (created if missing).") var workspace = "default"
    @Option(name: .customLong("via-http"), help: "Send through the tracking API at this base URL instead of the store.")
    var viaHTTP: String?
    @Option(name: .customLong("write-key"), help: "Write key for --via-http.") var writeKey: String?

    func validate() throws {
        guard profiles > 0, profiles <= 50_000_000 else { throw ValidationError("--profiles must be from 1 to 50,000,000.") }
        guard days > 0, days <= 3_650 else { throw ValidationError("--days must be from 1 to 3,650.") }
        if end != nil && parsedEnd == nil { throw ValidationError("--end must be a date such as 2026-11-28.") }
        if viaHTTP != nil && writeKey == nil { throw ValidationError("--via-http needs --write-key.") }
    }

    var parsedEnd: Date? { end.flatMap(ISO8601.parse).map { $0.addingTimeInterval(86_399) } }

    func run() async throws {
        let started = ContinuousClock.now
        let progress = ProgressLine(total: profiles, unit: "visitors")
        if let viaHTTP, let writeKey {
            let shop = DemoShop(.init(profiles: profiles, days: days, seed: seed, end: parsedEnd))
            let sent = try await DemoOverHTTP(shop: shop, baseURL: viaHTTP, writeKey: writeKey).send(progress: progress.update)
            progress.finish()
            say("Sent \(sent) events for \(profiles) visitors in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s.")
            return
        }
        let store = try await db.openStore()
        let workspaceId: Int64
        if let existing = try? await store.workspace(named: workspace) {
            workspaceId = existing.id
        } else {
            _ = try await store.createWorkspace(named: workspace)
            workspaceId = try await store.workspace(named: workspace).id
        }
        let shop = DemoShop(.init(profiles: profiles, days: days, seed: seed, end: parsedEnd, workspaceId: workspaceId))
        let written = try await DemoLoader(store: store, shop: shop).load(progress: progress.update)
        progress.finish()
        await store.close()
        let elapsed = (ContinuousClock.now - started).seconds
        say("Wrote \(written) events for \(profiles) visitors into workspace \(workspace) in \(String(format: "%.1f", elapsed)) s (\(Int(Double(written) / elapsed)) events/s).")
    }
}
