import CicloCore
import CicloEngine
import CicloServer
import CicloStore
import CicloTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A Ciclo application on a fresh database, with the keys of its first workspace.
struct TestApp {
    let store: Store
    let credentials: WorkspaceCredentials
    let environment: ServerEnvironment

    /// Runs `body` against the router of a new app on `engine`, with the ingest writer running.
    static func run(
        _ engine: Dialect = .sqlite, clock: any CicloClock = SystemClock(),
        ingest: IngestWriter.Configuration = .init(),
        _ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore(engine, clock: clock) { store in
            let credentials = try await store.createWorkspace(named: "shop")
            let environment = ServerEnvironment(store: store, ingestConfiguration: ingest, clock: clock,
                                                logger: TestDatabase.quietLogger, backgroundAudience: false)
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
