import CicloCore
import CicloEngine
@testable import CicloServer
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every route the router has (tracking, storefront, admin, dashboard, links), each hit with hostile paths, queries
/// and bodies as an outsider, with the write key, as an admin, as another workspace's admin and as a dashboard admin
/// and viewer: nothing answers 5xx, nothing traps, the background steps then run over whatever was stored, and the
/// server is ready and working afterwards.
@Suite("HTTP fuzzing: every route, hostile input, every kind of caller")
struct RouteFuzzTests {
    static let queryNames = ["after", "anonymousId", "asOf", "by", "category", "event", "exclude", "expires", "from", "interval", "k", "limit",
                             "model", "productId", "profileId", "q", "signature", "since", "slots", "stage", "status", "strategy", "to", "userId",
                             "windowDays", "days", "channel", "next", "notice", "writeKey", "window", "archived", "key", "segment", "person",
                             "start", "return", "cohort", "steps", "order"]
    static let formNames = ["channel", "comment", "control", "days", "description", "document", "email", "field", "intent", "key", "kind",
                            "match", "mode", "name", "next", "op", "password", "person", "quiet", "quiet-end", "quiet-start", "role", "template",
                            "timezone", "topic", "use", "value", "workspace", "part-subject", "part-html", "part-text", "part-body", "points",
                            "reason", "tier", "decision", "field-0", "op-0", "value-0", "join", "reward"]
    static let captures = ["0", "-1", "9223372036854775807", "99999999999999999999", "abc", "%00", "%0d%0a", "..%2F..%2Fetc", "a%22b",
                           "%E2%80%A8", String(repeating: "x", count: 300), "1e19", "nan", "%F0%9F%91%A9"]

    @Test("every route answers hostile input below 500; the server stays ready and keeps working", arguments: TestDatabase.engines)
    func everyRoute(engine: Dialect) async throws {
        let clock = ManualClock(ISO8601.parse("2026-11-01T10:00:00Z")!)
        try await TestApp.run(engine, clock: clock) { app, client in
            let fixture = try await Fixture.make(app, client)
            let routes = buildRouter(app.environment).routes
            #expect(routes.count > 150, "the router lists its routes: \(routes.count)")
            var failures: [String] = []
            var requests = 0
            var answered = Set<String>()
            let seed = UInt64.random(in: 0...UInt64.max)
            var h = HostileText(seed: seed)
            for route in routes where route.method != .options && route.method != .head {
                let callers = Self.callers(fixture, route: "\(route.path)")
                for round in 0..<(engine == .sqlite ? 12 : 4) {
                    for caller in callers {
                        let uri = Self.uri("\(route.path)", fixture: fixture, round: round, &h)
                        let (body, contentType) = Self.body(for: "\(route.path)", caller: caller, round: round, fixture: fixture, &h)
                        var headers = caller.headers
                        if let contentType { headers[.contentType] = contentType }
                        requests += 1
                        let status = try await client.execute(uri: uri, method: route.method, headers: headers, body: body) { $0.status }
                        if status.code < 400 && caller.name != "outsider" { answered.insert("\(route.method) \(route.path)") }
                        if status.code >= 500 {
                            failures.append("\(status.code) \(route.method) \(uri.prefix(200)) as \(caller.name): \(String(buffer: body).prefix(300))")
                        }
                    }
                }
            }
            #expect(answered.count > 100, "the fuzzer gets past authentication to most handlers: \(answered.count) routes answered 2xx or 3xx")
            let report = "\(failures.count) of \(requests) requests (seed \(seed)) answered 5xx:\n" + failures.prefix(40).joined(separator: "\n")
            #expect(failures.isEmpty, "\(report)")

            // Whatever got through is now processed by the background steps, which must not trap or stall on it.
            try await app.process()
            clock.advance(by: 3 * 86_400)
            _ = try await app.environment.journeys.runDue()
            _ = try await app.environment.delivery.deliverDue()
            _ = try await app.store.recomputeAudience(workspaceId: fixture.workspaceId)
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
            try await app.track(client, #"{"type":"track","userId":"after-fuzz","event":"Order Completed","properties":{"order_id":"z1","revenue":10}}"#)
            try await app.process()
            _ = try await app.profileId(client, "userId=after-fuzz")
        }
    }

    /// Who calls: nobody, the write key, the admin token, another workspace's admin, and dashboard sessions.
    struct Caller {
        var name: String
        var headers: HTTPFields
        var csrf: String?
    }

    static func callers(_ f: Fixture, route: String) -> [Caller] {
        var list = [Caller(name: "outsider", headers: [:])]
        if route.hasPrefix("/v1") || route.hasPrefix("/api") {
            list.append(Caller(name: "write key", headers: [.authorization: "Basic " + Data("\(f.writeKey):".utf8).base64EncodedString()]))
        }
        if route.hasPrefix("/api") {
            list.append(Caller(name: "admin", headers: [.authorization: "Bearer \(f.adminToken)"]))
            list.append(Caller(name: "other admin", headers: [.authorization: "Bearer \(f.otherAdminToken)"]))
        } else if !route.hasPrefix("/v1") {
            list.append(Caller(name: "dashboard admin", headers: [.cookie: f.admin.cookie], csrf: f.admin.csrf))
            list.append(Caller(name: "dashboard viewer", headers: [.cookie: f.viewer.cookie], csrf: f.viewer.csrf))
        }
        return list
    }

    /// The route with its captures filled (a real key or id every other round, else a hostile one) and a hostile query.
    static func uri(_ path: String, fixture: Fixture, round: Int, _ h: inout HostileText) -> String {
        var out = ""
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            let real = fixture.values[name] ?? []
            out += round % 2 == 0 && !real.isEmpty ? real[h.int(real.count)] : captures[h.int(captures.count)]
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        out = out.replacingOccurrences(of: "**", with: "x").replacingOccurrences(of: "*", with: "x")
        var query: [String] = []
        for _ in 0..<h.int(4) {
            let name = queryNames[h.int(queryNames.count)]
            let value = h.int(3) == 0 ? captures[h.int(captures.count)] : Self.encode(h.soup(maxPieces: 4))
            query.append("\(name)=\(value)")
        }
        if path.hasPrefix("/v1") && h.int(2) == 0 { query.append("writeKey=\(fixture.writeKey)") }
        return out + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// A JSON body shaped like the route's real documents with hostile parts, or a form with the session's CSRF
    /// token for dashboard posts, or plain junk.
    static func body(for path: String, caller: Caller, round: Int, fixture: Fixture, _ h: inout HostileText) -> (ByteBuffer, String?) {
        if let csrf = caller.csrf {
            var fields = [("_csrf", csrf)]
            for _ in 0..<(1 + h.int(6)) {
                let value = h.int(3) == 0 ? (fixture.formValues.randomElement(using: &h.rng) ?? "") : h.soup(maxPieces: 6)
                fields.append((formNames[h.int(formNames.count)], value))
            }
            return (ByteBuffer(string: fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")), "application/x-www-form-urlencoded")
        }
        switch h.int(6) {
        case 0: return (ByteBuffer(string: h.soup()), "application/json")
        case 1: return (ByteBuffer(string: String(repeating: "[", count: 200) + String(repeating: "]", count: 200)), "application/json")
        default:
            let like = fixture.documents.first { path.contains($0.key) }?.value
            return (ByteBuffer(string: h.json(depth: 5, like: like ?? fixture.documents["batch"]).jsonText), "application/json")
        }
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
