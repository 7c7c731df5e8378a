import CicloCore
import CicloServer
import CicloStore
import CicloTesting
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Loyalty through the admin API and the storefront")
struct LoyaltyRouteTests {
    static let program = #"{"pendingDays":0,"rewards":[{"key":"5off","name":"5 off","cost":100,"kind":"amount-off","value":5}]}"#

    @Test("members earn from orders, redeem with an idempotency key, see their ledger; bad input changes nothing", arguments: TestDatabase.engines)
    func adminFlow(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            var json = app.adminHeaders
            json[.contentType] = "application/json"
            try await client.execute(uri: "/api/v1/loyalty/program", method: .put, headers: json, body: .text(#"{"rounding":"sideways"}"#)) {
                #expect($0.status == .badRequest && $0.json["code"] == "invalid_program")
            }
            try await client.execute(uri: "/api/v1/loyalty/program", method: .put, headers: json, body: .text(Self.program)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(#"""
                {"batch":[{"type":"track","userId":"mia","event":"Order Completed","properties":{"order_id":"M1","revenue":150}},
                          {"type":"track","userId":"mia","event":"Order Completed","properties":{"order_id":"M1","revenue":150}}]}
                """#)) { #expect($0.status == .ok) }
            try await app.process()
            let mia = try await app.profileId(client, "userId=mia")
            let member = "/api/v1/loyalty/members/\(mia)"
            #expect(try await app.get(client, member)["account"]?["balance"] == 150)

            for bad in [#"{"points":-5,"reason":"x"}"#, #"{"points":2.5,"reason":"x"}"#, #"{"points":"10","reason":"x"}"#, #"{"points":10}"#, "[1]", "{"] {
                try await client.execute(uri: member + "/adjustments", method: .post, headers: json, body: .text(bad)) {
                    #expect($0.status == .badRequest, "\(bad)")
                }
            }
            var keyed = json
            keyed[HTTPField.Name("Idempotency-Key")!] = "order-77"
            try await client.execute(uri: member + "/redemptions", method: .post, headers: keyed, body: .text(#"{"reward":"nope"}"#)) {
                #expect($0.status == .notFound && $0.json["code"] == "unknown_reward")
            }
            try await client.execute(uri: member + "/redemptions", method: .post, headers: json, body: .text(#"{"reward":"5off"}"#)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: member + "/redemptions", method: .post, headers: keyed, body: .text(#"{"points":500}"#)) {
                #expect($0.status == .conflict && $0.json["shortfall"] == 350)
            }
            try await client.execute(uri: "/api/v1/loyalty/refunds", method: .post, headers: json, body: .text(#"{"orderId":"ghost","refundId":"r1","amount":10}"#)) {
                #expect($0.status == .notFound && $0.json["code"] == "unknown_order")
            }
            #expect(try await app.get(client, member)["history"]?.arrayValue?.count == 1)  // only the earn

            let coupon = try await client.execute(uri: member + "/redemptions", method: .post, headers: keyed, body: .text(#"{"reward":"5off"}"#)) { r in
                #expect(r.status == .created)
                return r.json
            }
            try await client.execute(uri: member + "/redemptions", method: .post, headers: keyed, body: .text(#"{"reward":"5off"}"#)) {
                #expect($0.status == .ok && $0.json["coupon"] == coupon["coupon"] && $0.json["replayed"] == true)
            }
            #expect(try await app.get(client, member)["account"]?["balance"] == 50)
            let entry = try #require(coupon["entryId"]?.intValue)
            try await client.execute(uri: "/api/v1/loyalty/redemptions/\(entry)/reverse", method: .post, headers: json, body: .text("{}")) {
                #expect($0.json["balance"] == 150)
            }
            try await client.execute(uri: "/api/v1/loyalty/simulate", method: .post, headers: json,
                                     body: .text(#"{"order":{"products":[{"price":0.5},{"price":0.5},{"price":0.5}]}}"#)) {
                #expect($0.json["points"] == 1)
            }
            try await client.execute(uri: "/api/v1/loyalty/refunds", method: .post, headers: json, body: .text(#"{"orderId":"M1","refundId":"r1","amount":75}"#)) {
                #expect($0.json["clawedBack"] == 75)
            }
            #expect(try await app.get(client, "/api/v1/loyalty/verify")["discrepancies"] == 0)
        }
    }

    @Test("the storefront answers a signed member, and refuses a foreign or expired signature")
    func storefront() async throws {
        try await TestApp.run { app, client in
            var json = app.adminHeaders
            json[.contentType] = "application/json"
            try await client.execute(uri: "/api/v1/loyalty/program", method: .put, headers: json, body: .text(Self.program)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/track", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"userId":"leo","event":"Order Completed","properties":{"order_id":"L1","revenue":120}}"#)) { _ in }
            try await app.process()
            let secret = try #require(try await app.get(client, "/api/v1/workspace")["storefrontSigningSecret"]?.stringValue)
            let expires = Int64(Date().timeIntervalSince1970) + 600
            func sign(_ user: String, _ exp: Int64, _ key: String) -> String {
                // Written here as a shop's backend would: hex HMAC-SHA256 of "userId.expires".
                HMAC<SHA256>.authenticationCode(for: Data("\(user).\(exp)".utf8), using: SymmetricKey(data: Data(key.utf8)))
                    .map { String(format: "%02x", $0) }.joined()
            }
            let base = "/v1/loyalty/member?writeKey=\(app.credentials.writeKey)&userId=leo"
            try await client.execute(uri: base + "&expires=\(expires)&signature=\(sign("leo", expires, secret))", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.json["balance"] == 120)
                #expect(r.json["rewards"]?.arrayValue?.first?["affordable"] == true)
                #expect(r.json["referral"]?["code"]?.stringValue?.count == 8)
            }
            try await client.execute(uri: base + "&expires=\(expires)&signature=\(sign("leo", expires, "sfsec_other"))", method: .get) {
                #expect($0.status == .forbidden && $0.json["code"] == "invalid_signature")
            }
            let past = Int64(Date().timeIntervalSince1970) - 10
            try await client.execute(uri: base + "&expires=\(past)&signature=\(sign("leo", past, secret))", method: .get) {
                #expect($0.status == .forbidden && $0.json["code"] == "signature_expired")
            }
            try await client.execute(uri: "/v1/loyalty/member?writeKey=nope&userId=leo&expires=1&signature=x", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/loyalty/member?writeKey=\(app.credentials.writeKey)", method: .get) {
                #expect($0.status == .forbidden && $0.json["code"] == "user_signature_required")
            }
        }
    }
}
