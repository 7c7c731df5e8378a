import ArgumentParser
import CicloCore
import CicloEngine
import CicloServer
import CicloStore
import Foundation
import Hummingbird
import Logging

/// `ciclo serve`: the HTTP server and every background service, on one database.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run Ciclo: the tracking API, the admin API, the dashboard and the workers.")

    @OptionGroup var db: DatabaseOption
    @Option(help: "Interface to listen on (env CICLO_HOST; default 0.0.0.0).") var host: String?
    @Option(help: "Port to listen on (env CICLO_PORT; default 8080; 0 picks a free port).") var port: Int?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (env CICLO_LOG_LEVEL; default info).")
    var logLevel: String?
    @Option(name: .customLong("public-url"), help: "Base URL people reach this server at, for links in messages (env CICLO_PUBLIC_URL).")
    var publicURL: String?
    @Option(name: .customLong("egress-allow"),
            help: "Hosts (hooks.internal, *.corp.example) and networks (10.0.0.0/8) push endpoints and webhooks may reach besides public https (env CICLO_EGRESS_ALLOW).")
    var egressAllow: String?
    @Flag(help: "On an empty workspace `default`, first fill it with a demo shop (3,000 visitors over a year).")
    var demo = false
    @Option(help: "all, api (tracking, admin API, dashboard) or worker (background services) (env CICLO_ROLE; default all).")
    var role: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let level = Logger.Level(rawValue: logLevel ?? environment["CICLO_LOG_LEVEL"] ?? "info") ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "ciclo")
        // The demo prints an admin sign-in, so it listens on loopback only unless told otherwise.
        let host = host ?? environment["CICLO_HOST"] ?? (demo ? "127.0.0.1" : "0.0.0.0")
        let portText = port.map(String.init) ?? environment["CICLO_PORT"] ?? "8080"
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw CicloError.badRequest("invalid_port", "The port \(portText.debugDescription) is not a number from 0 to 65535.")
        }

        let role = try ServerRole.parse(role ?? environment["CICLO_ROLE"] ?? "all")
        let url = try db.url()
        try PortCheck.ensureFree(host: host, port: port)
        let store = try await Store.open(url, logger: logger)
        try await Self.ensureFirstWorkspace(store)
        if demo {
            try await Self.loadDemo(store)
            try await Self.ensureDemoUser(store)
        }

        var env = environment
        if let publicURL { env["CICLO_PUBLIC_URL"] = publicURL }
        if let egressAllow { env["CICLO_EGRESS_ALLOW"] = egressAllow }
        let channels = try ChannelSettings.fromEnvironment(env, defaultPublicURL: "http://\(host == "0.0.0.0" ? "localhost" : host):\(port)")
        let app = buildApplication(
            environment: ServerEnvironment(store: store, logger: logger, channels: channels, role: role),
            configuration: ServerConfiguration(host: host, port: port),
            onServerRunning: { port in
                say(role.servesRequests
                    ? "Ciclo (\(role.rawValue)) is listening on http://\(host == "0.0.0.0" ? "localhost" : host):\(port) (database \(url)); the dashboard is at /"
                    : "Ciclo worker is running on \(url); /health, /ready and /metrics on port \(port)")
            })
        do {
            try await app.runService()
        } catch {
            await store.close()
            throw Self.describeStartupFailure(error, host: host, port: port)
        }
        await store.close()
    }

    /// On an empty database, creates workspace `default` and prints its keys, once.
    static func ensureFirstWorkspace(_ store: Store) async throws {
        guard try await store.workspaces().isEmpty else { return }
        do {
            let credentials = try await store.createWorkspace(named: "default")
            say("""
                Created workspace "default" on this new database.
                  Write key:   \(credentials.writeKey)
                  Admin token: \(credentials.adminToken)
                These are shown once; keep the admin token safe.
                For the dashboard, add a user: ciclo user create --workspace default --email you@example.com --role admin
                """)
        } catch let error as CicloError where error.code == "workspace_exists" {
            // Another process sharing the database created it first.
        }
    }

    /// Fills workspace `default` with the demo shop when it has no events yet.
    static func loadDemo(_ store: Store) async throws {
        let workspace = try await store.workspace(named: "default")
        guard try await store.isEventLogEmpty(workspaceId: workspace.id) else { return }
        // A loyalty program first, so the demo's orders, refunds, reviews and referrals show up in the ledger.
        if try await store.loyaltyProgram(workspaceId: workspace.id) == nil {
            try await store.applyLoyaltyProgram(workspaceId: workspace.id, [
                "rewards": [["key": "5off", "name": "$5 off", "cost": 500, "kind": "amount-off", "value": 5],
                            ["key": "shipping", "name": "Free shipping", "cost": 300, "kind": "free-shipping"]],
            ])
        }
        // And a small content library, one or two items per stage, so the coverage matrix has something to show.
        for (key, title, format, stage) in [("our-story", "Our story", "blog", "attract"), ("size-guide", "Size and fit guide", "guide", "convert"),
                                            ("first-order", "10% off your first order", "offer", "convert"),
                                            ("getting-started", "Getting the most from your order", "onboarding", "fulfil"),
                                            ("care-how-to", "How to care for your things", "how-to", "retain"), ("refer-a-friend", "Refer a friend", "referral", "advocate")] {
            try await ContentAdvisor(store: store).save(workspaceId: workspace.id, ContentItem(key: key, title: title, format: format, url: "https://shop.example.com/\(key)",
                                                                                   stages: [stage], goalEvent: "Order Completed"))
        }
        let shop = DemoShop(.init(profiles: 3_000, days: 365, seed: 1, workspaceId: workspace.id))
        let written = try await DemoLoader(store: store, shop: shop).load()
        say("Loaded the demo shop into workspace default: \(written) events from 3,000 visitors over the last year.")
    }

    /// The demo's dashboard user, admin of `default`, with a fresh password printed at each start.
    static func ensureDemoUser(_ store: Store) async throws {
        let email = "demo@ciclo.localhost"
        let password = PasswordHashing.generate()
        let hash = try await PasswordHashing.hash(password)
        if let user = try await store.dashboardUser(email: email) {
            try await store.setDashboardPassword(userId: user.id, passwordHash: hash)
        } else {
            try await store.addDashboardUser(email: email, name: "Demo", passwordHash: hash,
                                             workspaceId: try await store.workspace(named: "default").id, role: .admin)
        }
        say("Dashboard sign-in: \(email) / \(password)")
    }

    /// Turns what NIO throws on a failed bind into a sentence.
    static func describeStartupFailure(_ error: any Error, host: String, port: Int) -> any Error {
        let text = "\(error)"
        if text.contains("Address already in use") {
            return CicloError(.unavailable, code: "port_in_use", "Port \(port) on \(host) is already in use; pick another with --port.")
        }
        if text.contains("Permission denied") || text.contains("Cannot assign requested address") {
            return CicloError(.unavailable, code: "cannot_listen", "Cannot listen on \(host):\(port): \(text)")
        }
        return error
    }
}
