import CicloCore
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CicloServer

@Suite("Dashboard pages show what the data says")
struct DashboardPageTests {
    static let start = ISO8601.parse("2026-06-10T12:00:00Z")!

    @Test("the overview counts new people, customers, orders, revenue net of refunds and repeat orders for the period",
          arguments: TestDatabase.engines)
    func overview(engine: Dialect) async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.run(engine, clock: clock) { app, client in
            let admin = try await DashboardUserSession.start(app, role: .admin)
            for message in [
                #"{"type":"identify","userId":"ada","traits":{"email":"ada@x.com"},"timestamp":"2026-06-08T10:00:00Z"}"#,
                #"{"type":"track","userId":"ada","event":"Order Completed","properties":{"order_id":"o1","revenue":100},"timestamp":"2026-06-08T11:00:00Z"}"#,
                #"{"type":"track","userId":"ada","event":"Order Completed","properties":{"order_id":"o2","revenue":50},"timestamp":"2026-06-09T11:00:00Z"}"#,
                #"{"type":"track","userId":"ada","event":"Order Completed","properties":{"order_id":"o2","revenue":50},"timestamp":"2026-06-09T11:05:00Z"}"#,
                #"{"type":"track","userId":"ada","event":"Order Refunded","properties":{"order_id":"o2"},"timestamp":"2026-06-09T15:00:00Z"}"#,
                #"{"type":"track","userId":"bob","event":"Order Completed","properties":{"order_id":"o3","total":30},"timestamp":"2026-06-09T12:00:00Z"}"#,
                #"{"type":"page","anonymousId":"old","name":"Home","timestamp":"2026-05-20T12:00:00Z"}"#,
            ] { try await app.track(client, message) }
            try await app.process()
            try await client.execute(uri: "/overview?days=7", method: .get, headers: admin.headers) { response in
                #expect(response.status == .ok)
                let kpis = Self.kpis(response.text)
                #expect(kpis["New people"] == "2", "ada and bob; the May visitor is in the previous period")
                #expect(kpis["New customers"] == "2")
                #expect(kpis["Orders"] == "3", "o2 sent twice counts once")
                #expect(kpis["Revenue"] == "$130.00", "180 of orders less the 50 refunded")
                #expect(kpis["Repeat-purchase rate"] == "33.3%", "o2 was ada's second order")
                #expect(response.text.contains("reached"), "the funnel is drawn")
            }
            try await client.execute(uri: "/overview?days=30", method: .get, headers: admin.headers) { response in
                #expect(Self.kpis(response.text)["New people"] == "3")
            }
            // Rebuilding profiles from the log counts every order again exactly once.
            try await app.store.resetProfiles(workspaceId: try await app.workspaceId)
            try await app.process()
            try await client.execute(uri: "/overview?days=7", method: .get, headers: admin.headers) { response in
                #expect(Self.kpis(response.text)["Orders"] == "3")
            }
        }
    }

    @Test("search finds a person by email prefix and the profile shows identities, stage and timeline")
    func people() async throws {
        try await TestApp.run { app, client in
            let viewer = try await DashboardUserSession.start(app, role: .viewer)
            try await app.track(client, #"{"type":"identify","userId":"u-77","traits":{"email":"grace@hopper.example","name":"Grace Hopper"}}"#)
            try await app.track(client, #"{"type":"track","userId":"u-77","event":"Product Viewed","properties":{"product_id":"p1","name":"Compiler <b>Book</b>"}}"#)
            try await app.process()
            let link = try await client.execute(uri: "/people?q=grace%40hop", method: .get, headers: viewer.headers) { response -> String in
                #expect(response.status == .ok)
                #expect(response.text.contains("Grace Hopper"))
                return try #require(response.text.firstMatch(of: /href="(\/people\/\d+)"/).map { String($0.1) })
            }
            try await client.execute(uri: link, method: .get, headers: viewer.headers) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("grace@hopper.example") && response.text.contains("u-77"))
                #expect(response.text.contains("Product Viewed"))
                #expect(response.text.contains("Compiler &lt;b&gt;Book&lt;/b&gt;"), "event data is escaped, never markup")
                #expect(!response.text.contains("<b>Book</b>"))
            }
            try await client.execute(uri: "/people/not-a-number", method: .get, headers: viewer.headers) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
            try await client.execute(uri: "/people/987654", method: .get, headers: viewer.headers) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/people?q=" + String(repeating: "a", count: 300), method: .get, headers: viewer.headers) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: link + "?after=garbage", method: .get, headers: viewer.headers) { #expect($0.status == .badRequest) }
        }
    }

    @Test("the segment builder previews a count, saves, and shows errors beside the fields")
    func segmentBuilder() async throws {
        try await TestApp.run { app, client in
            let marketer = try await DashboardUserSession.start(app, role: .marketer)
            for (user, orders) in [("a", 1), ("b", 3), ("c", 4)] {
                for n in 0..<orders {
                    try await app.track(client, #"{"type":"track","userId":"\#(user)","event":"Order Completed","properties":{"order_id":"\#(user)\#(n)","revenue":10}}"#)
                }
            }
            try await app.process()
            let rows: [(String, String)] = [("mode", "builder"), ("match", "all"), ("kind", "attribute"), ("field", "order_count"), ("op", "gte"),
                                            ("value", "3"), ("days", ""), ("kind", ""), ("field", ""), ("op", ""), ("value", ""), ("days", "")]
            try await client.execute(uri: "/segments/preview", method: .post, headers: marketer.formHeaders, body: marketer.form(rows)) { response in
                #expect(response.status == .ok)
                #expect(response.json["count"] == 2)
                #expect(response.json["sample"]?.arrayValue?.count == 2)
            }
            try await client.execute(uri: "/segments/new", method: .post, headers: marketer.formHeaders,
                                     body: marketer.form([("name", ""), ("key", "Bad Key")] + rows)) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("id=\"name-error\"") && response.text.contains("id=\"key-error\""))
                #expect(response.text.contains("value=\"order_count\""), "what was typed is kept")
            }
            try await client.execute(uri: "/segments/new", method: .post, headers: marketer.formHeaders,
                                     body: marketer.form([("name", "Frequent"), ("key", "frequent"), ("mode", "json"), ("document", "{\"attribute\": ")])) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("id=\"condition-error\""))
            }
            try await client.execute(uri: "/segments/new", method: .post, headers: marketer.formHeaders,
                                     body: marketer.form([("name", "Frequent"), ("key", "frequent")] + rows)) { #expect($0.status == .seeOther) }
            try await client.execute(uri: "/segments/frequent", method: .get, headers: marketer.headers) { response in
                #expect(response.text.contains("<p class=\"preview-count\" id=\"member-count\">2</p>"))
                #expect(response.text.contains("order count ≥ 3"))
            }
            try await client.execute(uri: "/segments/frequent/export.csv", method: .get, headers: marketer.headers) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.text.split(separator: "\n").count == 3)
            }
        }
    }

    @Test("a journey with problems is not saved and the problems are named by step and outlined on the graph")
    func journeyEditor() async throws {
        try await TestApp.run { app, client in
            let marketer = try await DashboardUserSession.start(app, role: .marketer)
            let broken = #"{"key":"wb","name":"Win back","trigger":{"event":"Signed Up"},"start":"a","steps":{"a":{"type":"message","channel":"email","template":"nope","next":"gone"}}}"#
            try await client.execute(uri: "/journeys/new", method: .post, headers: marketer.formHeaders,
                                     body: marketer.form([("document", broken), ("intent", "save")])) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("unknown step gone") && response.text.contains("template nope does not exist"))
                #expect(response.text.contains("class=\"node message invalid\" data-step=\"a\""))
            }
            #expect(try await app.store.journey(workspaceId: try await app.workspaceId, key: "wb") == nil)
            let fixed = #"{"key":"wb","name":"Win back","trigger":{"event":"Signed Up"},"start":"a","steps":{"a":{"type":"message","channel":"email","template":"welcome-1"}}}"#
            try await client.execute(uri: "/journeys/new", method: .post, headers: marketer.formHeaders,
                                     body: marketer.form([("document", fixed), ("intent", "save")])) { #expect($0.status == .seeOther) }
            try await client.execute(uri: "/journeys/wb", method: .get, headers: marketer.headers) { response in
                #expect(response.text.contains("id=\"channel-warning\"") && response.text.contains("CICLO_SMTP_URL"))
            }
            try await client.execute(uri: "/journeys/wb/activate", method: .post, headers: marketer.formHeaders, body: marketer.form([])) { response in
                #expect(response.status == .conflict && response.text.contains("id=\"activation-error\"") && response.text.contains("CICLO_SMTP_URL"))
                #expect(response.text.contains("Activate anyway"))
            }
            try await client.execute(uri: "/journeys/wb/activate", method: .post, headers: marketer.formHeaders, body: marketer.form([("force", "true")])) {
                #expect($0.status == .seeOther)
            }
            try await client.execute(uri: "/journeys/wb", method: .get, headers: marketer.headers) { response in
                #expect(response.text.contains("id=\"journey-status\">active<"))
                #expect(response.text.contains("data-step=\"a\""))
            }
        }
    }

    @Test("sending rules save from the form; bad values are refused and nothing changes")
    func sendingRules() async throws {
        try await TestApp.run { app, client in
            let marketer = try await DashboardUserSession.start(app, role: .marketer)
            let good = [("cap-email", "2"), ("cap-email-days", "7"), ("cap-sms", ""), ("quiet", "skip"), ("quiet-start", "22:00"),
                        ("quiet-end", "07:30"), ("control", "10"), ("timezone", "Europe/Rome")]
            try await client.execute(uri: "/settings/rules", method: .post, headers: marketer.formHeaders, body: marketer.form(good)) {
                #expect($0.status == .seeOther)
            }
            let rules = try await app.store.journeyRules(workspaceId: try await app.workspaceId)
            #expect(rules.caps.count == 1 && rules.caps[0].limit == 2 && rules.controlShare == 0.1)
            #expect(rules.quietHours?.hold == false && rules.quietHours?.end.hour == 7)
            try await client.execute(uri: "/settings/rules", method: .post, headers: marketer.formHeaders,
                                     body: marketer.form([("control", "90"), ("quiet", "off")])) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("id=\"rules-error\""))
            }
            #expect(try await app.store.journeyRules(workspaceId: try await app.workspaceId) == rules)
        }
    }

    @Test("an admin adds a user with a one-time password; the last admin cannot be demoted")
    func members() async throws {
        try await TestApp.run { app, client in
            let admin = try await DashboardUserSession.start(app, role: .admin)
            let password = try await client.execute(uri: "/settings/members", method: .post, headers: admin.formHeaders,
                                                    body: admin.form([("email", "New@Shop.example"), ("role", "viewer")])) { response -> String in
                #expect(response.status == .ok)
                return try #require(response.text.firstMatch(of: /<pre id="new-password">([^<]+)<\/pre>/).map { String($0.1) })
            }
            let user = try #require(try await app.store.dashboardUser(email: "new@shop.example"))
            #expect(try await PasswordHashing.verify(password, hash: user.passwordHash))
            let me = try #require(try await app.store.dashboardUser(email: "admin@shop.example"))
            try await client.execute(uri: "/settings/members/\(me.id)", method: .post, headers: admin.formHeaders,
                                     body: admin.form([("role", "viewer"), ("intent", "role")])) { response in
                #expect(response.status == .conflict)
                #expect(response.text.contains("at least one admin"))
            }
            try await client.execute(uri: "/settings/members", method: .post, headers: admin.formHeaders,
                                     body: admin.form([("email", "not-an-email"), ("role", "viewer")])) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/settings/members", method: .post, headers: admin.formHeaders,
                                     body: admin.form([("email", "x@shop.example"), ("role", "owner")])) { #expect($0.status == .badRequest) }
        }
    }

    /// KPI label → value from the overview's markup.
    static func kpis(_ html: String) -> [String: String] {
        var out: [String: String] = [:]
        for match in html.matches(of: /<div class="label">([^<]+)<\/div><div class="value">([^<]+)<\/div>/) {
            out[String(match.1)] = String(match.2)
        }
        return out
    }
}
