import CicloCore
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("People per stage and persona stay equal to a fresh count")
struct AudienceCountTests {
    @Test("through live changes, a merge, an erasure, a model switch and a rebuild", arguments: TestDatabase.engines)
    func countsMatch(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let workspaceId = try await app.workspaceId
            func check(_ moment: String) async throws {
                let kept = try await app.store.stageCounts(workspaceId: workspaceId)
                let exact = try await app.store.exactStageCounts(workspaceId: workspaceId)
                #expect(kept == exact, "\(moment)")
            }
            try await app.track(client, #"{"type":"page","anonymousId":"v1","name":"Home"}"#)
            try await app.track(client, #"{"type":"identify","userId":"ada","traits":{"email":"ada@x.com"}}"#)
            try await app.track(client, #"{"type":"track","userId":"bob","event":"Order Completed","properties":{"order_id":"b1","revenue":5}}"#)
            try await app.track(client, #"{"type":"track","anonymousId":"v2","event":"Product Added","properties":{"product_id":"p"}}"#)
            try await app.process()
            try await check("after live evaluation")
            #expect(try await app.store.stageCounts(workspaceId: workspaceId).values.reduce(0, +) == 4)

            // v2 turns out to be bob: two profiles become one.
            try await app.track(client, #"{"type":"identify","userId":"bob","anonymousId":"v2"}"#)
            try await app.process()
            try await check("after a merge")
            #expect(try await app.store.stageCounts(workspaceId: workspaceId).values.reduce(0, +) == 3)

            let ada = try await app.profileId(client, "userId=ada")
            try await client.execute(uri: "/api/v1/profiles/\(ada)", method: .delete, headers: app.adminHeaders) { #expect($0.status == .ok) }
            try await check("after an erasure")

            try await client.execute(uri: "/api/v1/lifecycle", method: .put, headers: app.adminHeaders, body: .text(#"{"use":"four-stage"}"#)) {
                #expect($0.status == .ok)
            }
            try await check("after switching the model")
            #expect(Set(try await app.store.stageCounts(workspaceId: workspaceId).keys).isSubset(of: ["acquisition", "onboarding", "engagement", "retention"]))

            try await app.store.resetProfiles(workspaceId: workspaceId)
            try await app.process()
            try await check("after rebuilding profiles from the log")
        }
    }
}

extension Store {
    /// People per stage counted row by row, to compare with the kept counts.
    func exactStageCounts(workspaceId: Int64) async throws -> [String: Int] {
        try await database.read { session in
            var out: [String: Int] = [:]
            for row in try await session.sql.raw("""
                SELECT stage, COUNT(*) AS n FROM profiles WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL
                AND stage IS NOT NULL GROUP BY stage
                """).all() { out[try row.decode(column: "stage", as: String.self)] = try row.decode(column: "n", as: Int.self) }
            return out
        }
    }
}
