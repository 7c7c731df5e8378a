import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CicloServer

/// A report adds at most its budget of events to the rollups before reading them: the API stays exact (no bound),
/// and the analytics page answers over a large backlog, saying its message figures are catching up.
@Suite("Rollup backlog: bounded refresh for pages, exact for the API")
struct RollupBacklogTests {
    static func sends(_ ws: Int64, count: Int, at: Date) -> [Event] {
        (0..<count).map { i in
            Event(workspaceId: ws, messageId: "send-\(i)", type: .track, event: "Message Sent", userId: "u\(i % 50)",
                  properties: ["message_id": .int(Int64(i + 1)), "channel": "email", "journey": "welcome", "template": "welcome-1"],
                  timestamp: at.addingTimeInterval(Double(i)), receivedAt: at.addingTimeInterval(Double(i)))
        }
    }

    @Test("a refresh stops after its budget, in whole batches; a budget of 0 reads the rollups as they are")
    func budget() async throws {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        try await TestDatabase.withStore(.sqlite, clock: ManualClock(now)) { store in
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            _ = try await store.appendEvents(Self.sends(ws, count: 7, at: now.addingTimeInterval(-3_600)))
            let rollup = AnalyticsRollup(store: store, batchSize: 2)
            let (from, to) = (now.addingTimeInterval(-86_400), now)
            #expect(try await AnalyticsReports(store: store, refreshBudget: 0).kpis(workspaceId: ws, by: "journey", from: from, to: to).isEmpty)
            #expect(try await rollup.refresh(workspaceId: ws, atMost: 3) == 4, "two whole batches of 2 reach the budget of 3")
            #expect(try await rollup.isBehind(workspaceId: ws))
            let partial = try await AnalyticsReports(store: store, refreshBudget: 0).kpis(workspaceId: ws, by: "journey", from: from, to: to)
            #expect(partial["welcome"]?.sends == 4, "the figures as far as the rollups reach")
            let exact = try await AnalyticsReports(store: store).kpis(workspaceId: ws, by: "journey", from: from, to: to)
            #expect(exact["welcome"]?.sends == 7)
            #expect(try await rollup.isBehind(workspaceId: ws) == false)
        }
    }

    @Test("the analytics page over a backlog larger than its budget answers and says the figures are catching up")
    func page() async throws {
        try await TestApp.run { app, client in
            let marketer = try await DashboardUserSession.start(app, role: .marketer)
            let ws = try await app.workspaceId
            _ = try await app.store.appendEvents(Self.sends(ws, count: AnalyticsPage.refreshBudget + 1, at: Date().addingTimeInterval(-86_400)))
            try await client.execute(uri: "/analytics", method: .get, headers: marketer.headers) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains(#"id="rollup-note""#), "one event is left for the background rollup")
            }
            // Hostile choices on the same page: NUL and CR/LF in event names, numbers past Int64, NaN, unknown options.
            let hostile = "/analytics?steps=%00,%0d%0aOrder&start=%00x&return=a%0d%0ab&cohort=nan&order=1e19&interval=%00"
                + "&window=99999999999999999999&days=-1&model=nan"
            try await client.execute(uri: hostile, method: .get, headers: marketer.headers) { response in
                #expect(response.status == .ok, "the page answers with its defaults and the funnel's own error")
            }
            try await AnalyticsRollup(store: app.store).refresh(workspaceId: ws)
            try await client.execute(uri: "/analytics", method: .get, headers: marketer.headers) { response in
                #expect(!response.text.contains(#"id="rollup-note""#), "caught up: no note")
                #expect(response.text.contains("welcome"), "the sends are counted by journey")
            }
        }
    }
}
