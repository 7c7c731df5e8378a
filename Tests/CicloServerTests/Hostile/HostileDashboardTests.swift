import CicloCore
@testable import CicloServer
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 17, cases 5, 9 and 10 on the dashboard: template previews, sign-in, `next`, segment previews.
@Suite("Hostile dashboard input: previews, sign-in and redirects")
struct HostileDashboardTests {
    @Test("case 5: a viewer cannot preview a template; a marketer's hostile template is refused with 400, not a crash")
    func templatePreview() async throws {
        try await TestApp.run { app, client in
            try await app.track(client, #"{"type":"identify","userId":"u1","traits":{"email":"u1@example.com","xs":[\#((0..<500).map(String.init).joined(separator: ","))]}}"#)
            try await app.process()
            let nested = String(repeating: "{% if profile.id %}", count: 10_000) + "x" + String(repeating: "{% endif %}", count: 10_000)
            let loops = "{% for a in traits.xs %}{% for b in traits.xs %}{% for c in traits.xs %}{{ c }}{% endfor %}{% endfor %}{% endfor %}"
            let viewer = try await DashboardUserSession.start(app, role: .viewer)
            try await client.execute(uri: "/templates/new", method: .post, headers: viewer.formHeaders,
                                     body: viewer.form([("intent", "preview"), ("channel", "email"), ("person", "u1"), ("part-subject", "Hi"),
                                                        ("part-html", nested), ("part-text", "t")])) { #expect($0.status == .forbidden) }
            let marketer = try await DashboardUserSession.start(app, role: .marketer)
            for body in [nested, loops] {
                let started = ContinuousClock.now
                try await client.execute(uri: "/templates/new", method: .post, headers: marketer.formHeaders,
                                         body: marketer.form([("intent", "preview"), ("channel", "email"), ("person", "u1"), ("part-subject", "Hi"),
                                                              ("part-html", body), ("part-text", "t"), ("name", "x"), ("key", "x")])) { r in
                    #expect(r.status == .badRequest, "\(r.status)")
                }
                #expect(ContinuousClock.now - started < .seconds(5))
            }
        }
    }

    @Test("case 9: a hundred wrong passwords at once are all counted: at most ten are checked")
    func throttleIsNotRaced() async throws {
        let throttle = SignInThrottle()
        let allowed = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<100 { group.addTask { await throttle.begin("boss@shop.example", address: "203.0.113.9") } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 10)
    }

    @Test("case 9: ten failures from one address do not lock the account for its owner elsewhere, and a spray forgets nobody's record")
    func throttleScope() async {
        let throttle = SignInThrottle(capacity: 1_000)
        for _ in 0..<10 { _ = await throttle.begin("boss@shop.example", address: "203.0.113.9") }
        #expect(await throttle.begin("boss@shop.example", address: "203.0.113.9") == false)
        #expect(await throttle.begin("boss@shop.example", address: "198.51.100.7"), "the owner, from their own address")
        // One address spraying many emails hits its own limit.
        var sprayed = 0
        for i in 0..<500 {
            if await throttle.begin("user\(i)@shop.example", address: "192.0.2.1") { sprayed += 1 }
        }
        #expect(sprayed == 100)
        // Thousands of addresses (a botnet spray) fill the maps past capacity without wiping the attacker's record above.
        for i in 0..<3_000 { _ = await throttle.begin("x\(i)@shop.example", address: "10.0.\(i / 250).\(i % 250)") }
        #expect(await throttle.begin("boss@shop.example", address: "203.0.113.9") == false, "recent failures survive eviction")
    }

    @Test("case 10: sign-in's next refuses tab, newline and backslash tricks, raw or percent-encoded", arguments: [
        "/%09/evil.example/", "/\t/evil.example/", "/%0a/evil.example", "/\n/evil.example", "/%5cevil.example", "/%2F/evil.example",
        "/\\/evil.example", "/ /evil.example", "/%20/evil.example", "//evil.example", "https://evil.example", "/\u{3000}/evil.example",
    ])
    func safeNext(next: String) {
        #expect(SignInRoutes.safeNext(next) == "/overview", "\(next.debugDescription)")
    }

    @Test("case 10: segment previews answer 400 for a trait name with NUL or quotes, and for lists and trees past their limits",
          arguments: TestDatabase.engines)
    func segmentPreview(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let big = (0..<1_001).map { "\"v\($0)\"" }.joined(separator: ",")
            let wide = (0..<2_001).map { _ in #"{"trait":"plan","op":"equals","value":"x"}"# }.joined(separator: ",")
            let conditions = [
                #"{"trait":"pl\u0000an","op":"exists"}"#, #"{"trait":"pl\"an","op":"exists"}"#, #"{"trait":"a\\b","op":"exists"}"#,
                #"{"trait":"plan","op":"in","value":[\#(big)]}"#, #"{"any":[\#(wide)]}"#,
                #"{"trait":"plan","op":"equals","value":"\#(String(repeating: "x", count: 1_001))"}"#,
                #"{"event":"E","where":[{"property":"a\u0001b","op":"exists"}]}"#,
            ]
            for condition in conditions {
                try await app.postJSON(client, "/api/v1/segments/preview", #"{"condition":\#(condition)}"#) { r in
                    #expect(r.status == .badRequest, "\(condition.prefix(80)): \(r.status) \(r.json)")
                }
            }
            try await app.postJSON(client, "/api/v1/segments/preview", #"{"condition":{"trait":"plan","op":"in","value":[\#((0..<1_000).map { "\"v\($0)\"" }.joined(separator: ","))]}}"#) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("Authorization accepts the bearer scheme in any case, as RFC 9110 says")
    func bearerCase() async throws {
        try await TestApp.run { app, client in
            for scheme in ["Bearer", "bearer", "BEARER"] {
                try await client.execute(uri: "/api/v1/workspace", method: .get, headers: [.authorization: "\(scheme) \(app.credentials.adminToken)"]) {
                    #expect($0.status == .ok, "\(scheme)")
                }
            }
        }
    }
}
