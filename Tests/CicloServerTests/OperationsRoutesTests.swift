import CicloCore
import CicloStore
import CicloTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Health, readiness, metrics and admin authentication")
struct OperationsRoutesTests {
    @Test("health and ready answer 200 on a migrated database", arguments: TestDatabase.engines)
    func healthAndReady(engine: Dialect) async throws {
        try await TestApp.run(engine) { _, client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] == "ready")
            }
        }
    }

    @Test("metrics are Prometheus text")
    func metrics() async throws {
        try await TestApp.run { _, client in
            try await client.execute(uri: "/health", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(String(buffer: response.body).contains("# TYPE"))
            }
        }
    }

    @Test("the admin API needs a valid bearer token")
    func adminAuthentication() async throws {
        try await TestApp.run { app, client in
            try await client.execute(uri: "/api/v1/workspace", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.json["code"] == "unauthorized")
                #expect(response.json["message"]?.stringValue?.isEmpty == false)
            }
            try await client.execute(uri: "/api/v1/workspace", method: .get,
                                     headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.json["code"] == "unauthorized")
            }
            try await client.execute(uri: "/api/v1/workspace", method: .get, headers: app.adminHeaders) { response in
                #expect(response.status == .ok)
                #expect(response.json["name"] == "shop")
                #expect(response.json["sources"]?.arrayValue?.first?["writeKey"]?.stringValue == app.credentials.writeKey)
            }
        }
    }

    @Test("unknown routes get a JSON 404")
    func notFound() async throws {
        try await TestApp.run { _, client in
            try await client.execute(uri: "/no/such/thing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.json["code"] == "not_found")
            }
        }
    }
}
