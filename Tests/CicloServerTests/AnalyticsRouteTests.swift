import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Analytics API: rollups, KPIs, journeys, attribution, experiments")
struct AnalyticsRouteTests {
    static let start = ISO8601.parse("2026-05-04T09:00:00Z")!

    static func message(_ user: String, _ name: String, id: Int, minute: Int, arm: String = "A") -> String {
        #"{"type":"track","userId":"\#(user)","event":"\#(name)","timestamp":"\#(ISO8601.format(start.addingTimeInterval(Double(minute) * 60)))","properties":{"message_id":\#(id),"channel":"email","template":"welcome-1","journey":"welcome","step":"hello","arm":"\#(arm)"}}"#
    }

    @Test("incremental refresh equals a full rebuild; KPIs count unique opens once", arguments: TestDatabase.engines)
    func rollups(engine: Dialect) async throws {
        let clock = ManualClock(Self.start.addingTimeInterval(86_400))
        try await TestApp.run(engine, clock: clock) { app, client in
            let ws = try await app.workspaceId
            let first = [Self.message("u1", "Message Sent", id: 1, minute: 0), Self.message("u1", "Email Delivered", id: 1, minute: 1),
                         Self.message("u1", "Email Opened", id: 1, minute: 5), Self.message("u1", "Email Opened", id: 1, minute: 6),
                         Self.message("u2", "Message Sent", id: 2, minute: 0), Self.message("u2", "Email Delivered", id: 2, minute: 1)]
            let second = [Self.message("u2", "Email Opened", id: 2, minute: 30), Self.message("u2", "Email Link Clicked", id: 2, minute: 31),
                          Self.message("u1", "Email Opened", id: 1, minute: 40), Self.message("u2", "Unsubscribed", id: 2, minute: 45)]
            for batch in [first, second] {
                try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(#"{"batch":[\#(batch.joined(separator: ","))]}"#)) {
                    #expect($0.status == .ok)
                }
                try await app.process()
                try await AnalyticsRollup(store: app.store, batchSize: 3).refresh(workspaceId: ws)
            }
            let incremental = try await app.store.rollupSnapshot(workspaceId: ws)
            try await client.execute(uri: "/api/v1/analytics/rebuild", method: .post, headers: app.adminHeaders) { #expect($0.status == .ok) }
            #expect(try await app.store.rollupSnapshot(workspaceId: ws) == incremental)

            let kpis = try await app.get(client, "/api/v1/analytics/kpis?by=journey&from=2026-05-01T00:00:00Z&to=2026-05-10T00:00:00Z")
            let welcome = try #require(kpis["welcome"])
            #expect(welcome["sends"] == 2 && welcome["deliveries"] == 2 && welcome["uniqueOpens"] == 2 && welcome["uniqueClicks"] == 1)
            #expect(welcome["openRate"]?.doubleValue == 1 && welcome["clickRate"]?.doubleValue == 0.5 && welcome["unsubscribeRate"]?.doubleValue == 0.5)
            #expect(kpis["elapsedMs"]?.doubleValue != nil)
            try await client.execute(uri: "/api/v1/analytics/kpis?by=nonsense", method: .get, headers: app.adminHeaders) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/v1/analytics/kpis?from=2026-05-10T00:00:00Z&to=2026-05-01T00:00:00Z", method: .get, headers: app.adminHeaders) {
                #expect($0.status == .badRequest)
            }

            // Attribution: an order the day after the open is credited to the journey by last touch; totals add up.
            try await app.track(client, #"{"type":"track","userId":"u1","event":"Order Completed","timestamp":"2026-05-05T10:00:00Z","properties":{"order_id":"o1","revenue":80}}"#)
            try await app.track(client, #"{"type":"track","userId":"u3","event":"Order Completed","timestamp":"2026-05-05T10:00:00Z","properties":{"order_id":"o2","revenue":20}}"#)
            try await app.process()
            let attribution = try await app.get(client, "/api/v1/analytics/attribution?model=last-touch&from=2026-05-01T00:00:00Z&to=2026-05-10T00:00:00Z")
            #expect(attribution["revenue"]?["welcome"]?.doubleValue == 80 && attribution["unattributedRevenue"]?.doubleValue == 20)
            #expect(attribution["totalRevenue"]?.doubleValue == 100)
            try await client.execute(uri: "/api/v1/analytics/attribution?model=magic", method: .get, headers: app.adminHeaders) { #expect($0.status == .badRequest) }
        }
    }

    @Test("experiments/compare runs the statistics on supplied numbers; bad input is refused")
    func compare() async throws {
        try await TestApp.run { app, client in
            let body = #"{"arms":[{"name":"control","n":3407,"sum":1396.87,"sumSquares":52377.9767},{"name":"B","n":3461,"sum":2422.7,"sumSquares":134698.29}],"weights":[0.5,0.5]}"#
            try await client.execute(uri: "/api/v1/experiments/compare", method: .post, headers: app.adminHeaders, body: .text(body)) { response in
                #expect(response.status == .ok)
                let c = response.json["comparisons"]?.arrayValue?.first
                #expect(abs((c?["frequentist"]?["relative"]?["effect"]?.doubleValue ?? 0) - 0.70732) < 1e-5)
                #expect(response.json["sampleRatio"]?["pValue"]?.doubleValue != nil)
            }
            for bad in [#"{"arms":[]}"#, #"{"arms":[{"n":-1,"sum":1,"sumSquares":1},{"n":5,"successes":2}]}"#, #"{"arms":[{"n":5,"successes":2},{"n":5}]}"#,
                        #"{"arms":[{"n":5,"successes":2},{"n":5,"successes":3}],"alpha":2}"#] {
                try await client.execute(uri: "/api/v1/experiments/compare", method: .post, headers: app.adminHeaders, body: .text(bad)) {
                    #expect($0.status == .badRequest, "\(bad)")
                }
            }
            try await client.execute(uri: "/api/v1/experiments/compare", method: .post, headers: app.adminHeaders,
                                     body: .text(#"{"arms":[{"n":0,"successes":0},{"n":5,"successes":3}]}"#)) { response in
                #expect(response.status == .ok)
                #expect(response.json["comparisons"]?.arrayValue?.first?["noResult"]?.stringValue?.isEmpty == false, "an empty arm gives a reason, not NaN")
            }
        }
    }
}
