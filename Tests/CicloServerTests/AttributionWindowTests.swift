import CicloCore
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 18, point 4: attribution windows per channel and interaction, set once for the workspace, in the API and on
/// the analytics page, and read by every attribution report.
@Suite("Attribution windows")
struct AttributionWindowTests {
    static let start = ISO8601.parse("2026-05-04T09:00:00Z")!

    static func event(_ user: String, _ name: String, hours: Double, channel: String, journey: String, revenue: Int? = nil) -> String {
        let time = ISO8601.format(start.addingTimeInterval(hours * 3_600))
        if let revenue {
            return #"{"type":"track","userId":"\#(user)","event":"\#(name)","timestamp":"\#(time)","properties":{"order_id":"\#(user)-o","revenue":\#(revenue)}}"#
        }
        return #"{"type":"track","userId":"\#(user)","event":"\#(name)","timestamp":"\#(time)","properties":{"message_id":1,"channel":"\#(channel)","journey":"\#(journey)"}}"#
    }

    @Test("an SMS click counts for 24 hours once set, an email open still for 5 days; a what-if changes nothing stored",
          arguments: TestDatabase.engines)
    func windows(engine: Dialect) async throws {
        try await TestApp.run(engine, clock: ManualClock(Self.start.addingTimeInterval(10 * 86_400))) { app, client in
            // Setup: an SMS click 30 hours before an order, an email open 3 days before another.
            let batch = [Self.event("s", "SMS Link Clicked", hours: 0, channel: "sms", journey: "flash-sale"),
                         Self.event("s", "Order Completed", hours: 30, channel: "", journey: "", revenue: 40),
                         Self.event("e", "Email Opened", hours: 0, channel: "email", journey: "newsletter"),
                         Self.event("e", "Order Completed", hours: 72, channel: "", journey: "", revenue: 60)]
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(#"{"batch":[\#(batch.joined(separator: ","))]}"#)) {
                #expect($0.status == .ok)
            }
            try await app.process()
            let report = "/api/v1/analytics/attribution?from=2026-05-01T00:00:00Z&to=2026-05-12T00:00:00Z"
            let before = try await app.get(client, report)
            #expect(before["revenue"]?["flash-sale"]?.doubleValue == 40 && before["revenue"]?["newsletter"]?.doubleValue == 60)

            // Action: SMS clicks count for 24 hours from now on.
            try await client.execute(uri: "/api/v1/analytics/attribution-windows", method: .patch, headers: app.adminHeaders,
                                     body: .text(#"{"sms_click": {"hours": 24}}"#)) { response in
                #expect(response.status == .ok)
                #expect(response.json["sms_click"] == ["days": 1] && response.json["email_open"] == ["days": 5])
            }

            // Check
            let after = try await app.get(client, report)
            #expect(after["revenue"]?["flash-sale"] == nil && after["unattributedRevenue"]?.doubleValue == 40)
            #expect(after["revenue"]?["newsletter"]?.doubleValue == 60)
            try await client.execute(uri: "/api/v1/analytics/attribution", method: .post, headers: app.adminHeaders,
                                     body: .text(#"{"from":"2026-05-01T00:00:00Z","to":"2026-05-12T00:00:00Z","windows":{"email_open":null}}"#)) { r in
                #expect(r.status == .ok)
                #expect(r.json["revenue"]?["newsletter"] == nil && r.json["unattributedRevenue"]?.doubleValue == 100, "the what-if turns opens off")
            }
            #expect(try await app.get(client, "/api/v1/analytics/attribution-windows")["email_open"] == ["days": 5], "the what-if saved nothing")
            for bad in [#"{"sms_clik": {"hours": 1}}"#, #"{"sms_click": {"days": 91}}"#, #"{"sms_click": {"hours": -1}}"#, #"{"sms_click": {"hours": 1e400}}"#, "[]"] {
                try await client.execute(uri: "/api/v1/analytics/attribution-windows", method: .patch, headers: app.adminHeaders, body: .text(bad)) {
                    #expect($0.status == .badRequest, "\(bad)")
                }
            }
            #expect(try await app.get(client, "/api/v1/analytics/attribution-windows")["sms_click"] == ["days": 1], "refused changes change nothing")
        }
    }

    @Test("the analytics page shows the windows and saves them for a marketer; a viewer cannot; a bad value is named")
    func page() async throws {
        try await TestApp.run { app, client in
            let marketer = try await DashboardUserSession.start(app, role: .marketer)
            let viewer = try await DashboardUserSession.start(app, role: .viewer)
            try await client.execute(uri: "/analytics", method: .get, headers: marketer.headers) { response in
                #expect(response.text.contains(#"name="window.sms_click" value="5 days""#))
            }
            var fields = AttributionWindows.kinds.map { ("window.\($0)", "5 days") }
            fields[AttributionWindows.kinds.firstIndex(of: "sms_click")!] = ("window.sms_click", "24 hours")
            fields[AttributionWindows.kinds.firstIndex(of: "push_open")!] = ("window.push_open", "")
            try await client.execute(uri: "/analytics/attribution-windows", method: .post, headers: marketer.formHeaders,
                                     body: marketer.form(fields)) { #expect($0.status == .seeOther) }
            let ws = try await app.workspaceId
            let saved = try await app.store.attributionWindows(workspaceId: ws)
            #expect(saved.byKind["sms_click"] == .hours(24) && saved.byKind["push_open"] == nil && saved.byKind["email_open"] == .days(5))
            try await client.execute(uri: "/analytics", method: .get, headers: marketer.headers) { response in
                #expect(response.text.contains(#"name="window.sms_click" value="1 day""#) && response.text.contains(#"name="window.push_open" value="""#))
            }
            try await client.execute(uri: "/analytics/attribution-windows", method: .post, headers: marketer.formHeaders,
                                     body: marketer.form([("window.sms_click", "soon")])) { response in
                #expect(response.status == .badRequest && response.text.contains("SMS click: write a number and a unit"))
            }
            try await client.execute(uri: "/analytics/attribution-windows", method: .post, headers: viewer.formHeaders,
                                     body: viewer.form(fields)) { #expect($0.status == .forbidden) }
            #expect(try await app.store.attributionWindows(workspaceId: ws) == saved)
        }
    }
}
