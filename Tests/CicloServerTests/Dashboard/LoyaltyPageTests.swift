import CicloCore
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CicloServer

@Suite("Dashboard loyalty pages")
struct LoyaltyPageTests {
    @Test("the program is saved from the page, members and their ledger are shown, and bad or unauthorised edits change nothing",
          arguments: TestDatabase.engines)
    func loyaltyPages(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let admin = try await DashboardUserSession.start(app, role: .admin)
            let viewer = try await DashboardUserSession.start(app, role: .viewer)
            try await client.execute(uri: "/loyalty", method: .get, headers: admin.headers) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Loyalty is off"))
            }
            try await client.execute(uri: "/loyalty/program", method: .post, headers: admin.formHeaders,
                                     body: admin.form([("program", #"{"rounding": "sideways"}"#)])) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("rounding is floor or half-up"))
            }
            try await client.execute(uri: "/loyalty/program", method: .post, headers: viewer.formHeaders,
                                     body: viewer.form([("program", #"{"pendingDays": 0}"#)])) { #expect($0.status == .forbidden) }
            #expect(try await app.store.loyaltyProgram(workspaceId: try await app.workspaceId) == nil)
            try await client.execute(uri: "/loyalty/program", method: .post, headers: admin.formHeaders,
                                     body: admin.form([("program", #"{"pendingDays": 0, "rewards": [{"key": "tote", "name": "Tote bag", "cost": 300, "kind": "free-product"}]}"#)])) {
                #expect($0.status == .seeOther || $0.status == .found)
            }
            try await app.track(client, #"{"type":"track","userId":"zoe","event":"Order Completed","properties":{"order_id":"z1","revenue":420}}"#)
            try await app.process()
            let zoe = try await app.profileId(client, "userId=zoe")
            try await client.execute(uri: "/loyalty", method: .get, headers: viewer.headers) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Tote bag"))
                #expect(response.text.contains("href=\"/loyalty/members/\(zoe)\""))
                #expect(response.text.contains(">420<"))
                #expect(!response.text.contains("action=\"/loyalty/program\""), "viewers see the program but cannot edit it")
            }
            try await client.execute(uri: "/loyalty/members/\(zoe)", method: .get, headers: viewer.headers) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("earn order") && response.text.contains("+420") && response.text.contains("z1"))
            }
            try await client.execute(uri: "/loyalty/members/999999", method: .get, headers: viewer.headers) { #expect($0.status == .notFound) }
        }
    }
}

@Suite("Dashboard content page")
struct ContentPageTests {
    @Test("the coverage matrix shows gaps with suggested formats; items are added from the page; bad items and viewers change nothing")
    func contentPage() async throws {
        try await TestApp.run { app, client in
            let admin = try await DashboardUserSession.start(app, role: .admin)
            let viewer = try await DashboardUserSession.start(app, role: .viewer)
            try await client.execute(uri: "/content", method: .get, headers: viewer.headers) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains(">5 empty cells"), "one row (no personas yet) by five stages")
                #expect(r.text.contains("referral, review, user content"), "the advocate column suggests its formats")
                #expect(!r.text.contains("action=\"/content\""))
            }
            let item = #"{"key":"story","title":"Our story","format":"blog","url":"https://x/s","stages":["attract"],"status":"published"}"#
            try await client.execute(uri: "/content", method: .post, headers: viewer.formHeaders, body: viewer.form([("item", item)])) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/content", method: .post, headers: admin.formHeaders, body: admin.form([("item", #"{"key":"x"}"#)])) {
                #expect($0.status == .badRequest && $0.text.contains("title is required"))
            }
            try await client.execute(uri: "/content", method: .post, headers: admin.formHeaders, body: admin.form([("item", item)])) {
                #expect($0.status == .seeOther || $0.status == .found)
            }
            try await client.execute(uri: "/content", method: .get, headers: admin.headers) { r in
                #expect(r.text.contains("Our story") && r.text.contains(">4 empty cells"))
            }
        }
    }
}
