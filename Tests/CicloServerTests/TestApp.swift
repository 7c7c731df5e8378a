import CicloCore
import CicloEngine
import CicloServer
import CicloStore
import CicloTesting
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A Ciclo application on a fresh database, with the keys of its first workspace.
struct TestApp {
    let store: Store
    let credentials: WorkspaceCredentials
    let environment: ServerEnvironment

    /// Runs `body` against the router of a new app on `engine`, with the ingest writer running.
    static func run(
        _ engine: Dialect = .sqlite, clock: any CicloClock = SystemClock(),
        ingest: IngestWriter.Configuration = .init(), channels: ChannelSettings = ChannelSettings(publicURL: "http://localhost:8080"),
        _ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore(engine, clock: clock) { store in
            let credentials = try await store.createWorkspace(named: "shop")
            let environment = ServerEnvironment(store: store, ingestConfiguration: ingest, clock: clock,
                                                logger: TestDatabase.quietLogger, backgroundAudience: false, channels: channels)
            let app = buildApplication(environment: environment)
            let testApp = TestApp(store: store, credentials: credentials, environment: environment)
            try await app.test(.router) { client in
                try await body(testApp, client)
            }
        }
    }

    /// `Authorization: Bearer` with this app's admin token.
    var adminHeaders: HTTPFields { [.authorization: "Bearer \(credentials.adminToken)"] }
}

extension TestResponse {
    /// The body parsed as JSON.
    var json: JSONValue { (try? JSONValue.parse(String(buffer: body))) ?? .null }
}

extension ByteBuffer {
    /// A buffer holding `text` as UTF-8.
    static func text(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}

extension TestApp {
    /// `Authorization: Basic` with this app's write key and an empty password.
    var basicAuth: HTTPFields {
        [.authorization: "Basic " + Data("\(credentials.writeKey):".utf8).base64EncodedString(),
         .contentType: "application/json"]
    }

    /// Every event stored in the workspace, oldest first.
    func storedEvents() async throws -> [Event] {
        let workspace = try await store.workspace(named: credentials.workspace)
        return try await store.events(EventQuery(workspaceId: workspace.id, limit: 10_000)).reversed().filter { !$0.isDerived }
    }
}

extension TestApp {
    /// `userId=…&expires=…&signature=…` for a storefront call, signed as a shop's backend would sign it: the hex
    /// HMAC-SHA256 of `userId.expires` under the workspace's storefront signing secret.
    func signedUser(_ client: some TestClientProtocol, _ userId: String, expires: Int64? = nil) async throws -> String {
        let secret = try #require(try await get(client, "/api/v1/workspace")["storefrontSigningSecret"]?.stringValue)
        let until = expires ?? Int64(Date().timeIntervalSince1970) + 600
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(userId).\(until)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "userId=\(userId)&expires=\(until)&signature=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
