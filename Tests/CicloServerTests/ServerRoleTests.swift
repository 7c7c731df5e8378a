import CicloCore
import CicloEngine
import CicloServer
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 21, point 1: `--role api|worker|all` decides what one process does.
@Suite("Server roles")
struct ServerRoleTests {
    static func routes(_ role: ServerRole, _ body: @escaping @Sendable (ServerEnvironment, any TestClientProtocol) async throws -> Void) async throws {
        try await TestDatabase.withStore(.sqlite) { store in
            _ = try await store.createWorkspace(named: "shop")
            let environment = ServerEnvironment(store: store, logger: TestDatabase.quietLogger, role: role)
            try await buildApplication(environment: environment).test(.router) { client in try await body(environment, client) }
        }
    }

    @Test("a worker answers only health, readiness (with its role) and metrics; it runs the background services")
    func worker() async throws {
        try await Self.routes(.worker) { environment, client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok && response.json["role"] == "worker")
            }
            for path in ["/v1/track", "/api/v1/segments", "/overview"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .notFound, "\(path)") }
            }
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .ok) }
            let kinds = environment.services.map { String(describing: type(of: $0)) }
            #expect(kinds == ["ProfileProcessor", "AudienceService", "JourneyScheduler", "DeliveryService"])
        }
    }

    @Test("an api node serves requests and writes what it accepts, and runs none of the workers")
    func api() async throws {
        try await Self.routes(.api) { environment, client in
            try await client.execute(uri: "/ready", method: .get) { #expect($0.json["role"] == "api") }
            try await client.execute(uri: "/overview", method: .get) { #expect($0.status == .seeOther, "the dashboard asks to sign in") }
            #expect(environment.services.map { String(describing: type(of: $0)) } == ["IngestWriter"])
        }
        try await Self.routes(.all) { environment, _ in #expect(environment.services.count == 5) }
        #expect(throws: CicloError.self) { try ServerRole.parse("manager") }
        #expect(try ServerRole.parse("WORKER") == .worker)
    }
}
