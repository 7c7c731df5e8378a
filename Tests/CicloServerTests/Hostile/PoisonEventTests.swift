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

/// A background step that fails on one event sets it aside with the reason and moves on; a restart does not replay it.
@Suite("Poison events never stop the profile processor")
struct PoisonEventTests {
    @Test("an event a hook cannot handle is set aside with its error; the events around it are applied; a new processor does not replay it",
          arguments: TestDatabase.engines)
    func setAside(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            // A hook that fails on one event, as a bug in a step would: the edge we cannot reach otherwise.
            await app.environment.profiles.addHook { result, _ in
                if result.events.contains(where: { $0.messageId == "poison" }) {
                    throw CicloError.badRequest("broken_step", "this step cannot handle the poison event")
                }
            }
            for i in 0..<5 { try await app.track(client, #"{"type":"track","userId":"u\#(i)","event":"Before"}"#) }
            try await app.track(client, #"{"type":"track","userId":"u9","event":"Poison","messageId":"poison"}"#)
            for i in 0..<5 { try await app.track(client, #"{"type":"track","userId":"u\#(i)","event":"After"}"#) }
            try await app.process()

            let letters = try await app.get(client, "/api/v1/dead-letters")
            let letter = try #require(letters["deadLetters"]?.arrayValue?.first)
            #expect(letters["deadLetters"]?.arrayValue?.count == 1 && letters["counts"]?["profiles"] == 1, "\(letters)")
            #expect(letter["stage"] == "profiles" && letter["payload"]?["messageId"] == "poison", "\(letter)")
            #expect(letter["error"]?.stringValue?.contains("cannot handle the poison event") == true)
            let u0 = try await app.profileId(client, "userId=u0")
            #expect(try await app.get(client, "/api/v1/profiles/\(u0)")["computed"]?["eventCount"] == 2, "before and after both applied")
            let lag = try await app.store.profileLag(workspaceId: try await app.workspaceId)
            #expect(lag.events == 0, "the cursor moved past the poison event")

            // A processor started afresh (a restart) finds nothing to do and sets nothing more aside.
            let fresh = ProfileProcessor(store: app.store, logger: TestDatabase.quietLogger)
            #expect(try await fresh.catchUp(workspaceId: try await app.workspaceId) == 0)
            #expect(try await app.get(client, "/api/v1/dead-letters")["deadLetters"]?.arrayValue?.count == 1)
            try await client.execute(uri: "/api/v1/dead-letters?stage=nope", method: .get, headers: app.adminHeaders) { #expect($0.status == .badRequest) }
            let admin = try await DashboardUserSession.start(app, role: .admin)
            try await client.execute(uri: "/settings", method: .get, headers: admin.headers) { r in
                let page = String(buffer: r.body)
                #expect(page.contains("cannot handle the poison event") && page.contains("1 set aside by background steps"), "the settings page lists it")
            }
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(String(buffer: r.body).contains("ciclo_dead_letters_total{stage=\"profiles\"}"))
            }
        }
    }
}
