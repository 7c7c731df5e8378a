import CicloCore
import CicloStore
import CicloTesting
import Foundation
import Testing

@Suite("Workspaces, sources and tokens")
struct WorkspaceStoreTests {
    @Test("a new workspace has a working write key and admin token", arguments: TestDatabase.engines)
    func createWorkspace(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            let credentials = try await store.createWorkspace(named: "shop")

            let source = try #require(try await store.source(writeKey: credentials.writeKey))
            let owner = try #require(try await store.workspace(adminToken: credentials.adminToken))
            #expect(owner.name == "shop")
            #expect(source.workspaceId == owner.id)
            #expect(try await store.workspace(adminToken: credentials.adminToken + "x") == nil)
            #expect(try await store.source(writeKey: "nope") == nil)
        }
    }

    @Test("names are unique and validated", arguments: TestDatabase.engines)
    func duplicateAndInvalidNames(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            _ = try await store.createWorkspace(named: "shop")

            await #expect { try await store.createWorkspace(named: "shop") } throws: {
                ($0 as? CicloError)?.code == "workspace_exists"
            }
            await #expect { try await store.createWorkspace(named: "bad name!") } throws: {
                ($0 as? CicloError)?.code == "invalid_name"
            }
            await #expect { try await store.createWorkspace(named: "tz", timeZone: "Mars/Olympus") } throws: {
                ($0 as? CicloError)?.code == "invalid_time_zone"
            }
            #expect(try await store.workspaces().map(\.name) == ["shop"])
        }
    }

    @Test("extra sources and tokens; a disabled source's key stops working", arguments: TestDatabase.engines)
    func sourcesAndTokens(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            let credentials = try await store.createWorkspace(named: "shop")
            let web = try await store.createSource(workspace: "shop", name: "web")
            let token = try await store.createAdminToken(workspace: "shop")

            #expect(web.writeKey != credentials.writeKey)
            #expect(try await store.workspace(adminToken: token)?.name == "shop")
            try await store.setSourceEnabled(workspaceId: web.workspaceId, name: "web", enabled: false)
            #expect(try await store.source(writeKey: web.writeKey) == nil)
            await #expect { try await store.createSource(workspace: "shop", name: "web") } throws: {
                ($0 as? CicloError)?.code == "source_exists"
            }
            await #expect { try await store.createSource(workspace: "nowhere", name: "web") } throws: {
                ($0 as? CicloError)?.kind == .notFound
            }
        }
    }
}
