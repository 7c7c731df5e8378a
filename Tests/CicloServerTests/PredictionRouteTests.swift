import CicloCore
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Predictions through the admin API")
struct PredictionRouteTests {
    static let start = ISO8601.parse("2026-03-02T00:00:00Z")!

    @Test("a run scores customers, writes affinities, and is listed; bad input is refused", arguments: TestDatabase.engines)
    func run(engine: Dialect) async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.run(engine, clock: clock) { app, client in
            // Forty customers with a few orders each, so the models have something to fit.
            var messages: [String] = []
            for c in 0..<40 {
                for o in 0...(c % 4) {
                    let day = 1 + (c * 7 + o * 13) % 55
                    let coupon = c == 0 ? #","coupon":"SAVE10""# : ""
                    messages.append(#"{"type":"track","userId":"c\#(c)","event":"Order Completed","timestamp":"2026-01-\#(String(format: "%02d", min(day, 28)))T10:00:00Z","properties":{"order_id":"c\#(c)-\#(o)","revenue":\#(20 + c)\#(coupon)}}"#)
                }
            }
            // c1 opens email at 08:00 Rome time (07:00 UTC) on Mondays and ignores SMS; browses shoes.
            messages.append(#"{"type":"identify","userId":"c1","traits":{"email":"c1@x.com"},"context":{"timezone":"Europe/Rome"}}"#)
            for (i, day) in ["2026-02-02", "2026-02-09", "2026-02-16"].enumerated() {
                messages.append(#"{"type":"track","userId":"c1","event":"Message Sent","timestamp":"\#(day)T06:00:00Z","properties":{"channel":"email","message_id":\#(100 + i)}}"#)
                messages.append(#"{"type":"track","userId":"c1","event":"Email Opened","timestamp":"\#(day)T07:00:00Z","properties":{"channel":"email","message_id":\#(100 + i)}}"#)
                messages.append(#"{"type":"track","userId":"c1","event":"Message Sent","timestamp":"\#(day)T12:00:00Z","properties":{"channel":"sms","message_id":\#(200 + i)}}"#)
                messages.append(#"{"type":"track","userId":"c1","event":"Product Viewed","timestamp":"\#(day)T07:05:00Z","properties":{"product_id":"s\#(i)","category":"Shoes","brand":"Kestrel"}}"#)
            }
            messages.append(#"{"type":"track","userId":"c1","event":"Product Viewed","timestamp":"2026-02-20T07:05:00Z","properties":{"product_id":"h1","category":"Hats"}}"#)
            for chunk in stride(from: 0, to: messages.count, by: 50) {
                try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth,
                                         body: .text(#"{"batch":[\#(messages[chunk..<min(chunk + 50, messages.count)].joined(separator: ","))]}"#)) {
                    #expect($0.status == .ok)
                }
            }
            try await app.process()

            try await client.execute(uri: "/api/v1/predictions/validation", method: .get, headers: app.adminHeaders) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/predictions/run?asOf=2030-01-01", method: .post, headers: app.adminHeaders) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/predictions/run?asOf=yesterday", method: .post, headers: app.adminHeaders) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/predictions/run", method: .post, headers: app.adminHeaders) { response in
                #expect(response.status == .ok, "\(response.json)")
                #expect(response.json["customers"] == 40)
                #expect(response.json["models"]?["bgnbd"]?["r"]?.doubleValue != nil)
            }
            try await client.execute(uri: "/api/v1/predictions/models", method: .get, headers: app.adminHeaders) { response in
                #expect(response.json["runs"]?.arrayValue?.count == 1)
            }
            let c1 = try await app.profileId(client, "userId=c1")
            let profile = try await app.get(client, "/api/v1/profiles/\(c1)")
            let p = try #require(profile["predictions"])
            #expect(p["preferred_channel"] == "email", "opened every email, never engaged with SMS")
            #expect(p["best_send_hour"]?.intValue == Int64(1 * 24 + 8), "Monday 08:00 in Rome")
            #expect(p["top_category"] == "Shoes" && p["top_brand"] == "Kestrel")
            #expect((p["p_alive"]?.doubleValue ?? -1) > 0 && (p["p_alive"]?.doubleValue ?? 2) <= 1)
            let c0 = try await app.get(client, "/api/v1/profiles/\(try await app.profileId(client, "userId=c0"))")
            let affinity = try #require(c0["predictions"]?["discount_affinity"]?.doubleValue)
            #expect(affinity > 1.0 / 37 && affinity < 1, "one coupon order is pulled toward the shop's share: \(affinity)")

            // Scores are usable in conditions right away.
            try await client.execute(uri: "/api/v1/segments/preview", method: .post, headers: app.adminHeaders,
                                     body: .text(#"{"condition":{"attribute":"preferred_channel","op":"equals","value":"email"}}"#)) { response in
                #expect(response.json["count"] == 1)
            }
        }
    }
}
