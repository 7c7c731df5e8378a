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

/// Issue 17, cases 1, 8 and the timestamps of 10: numbers and shapes a public write key can send.
@Suite("Hostile events: numbers, shapes and times a write key can send")
struct HostileEventTests {
    static let program = #"{"pendingDays":0}"#

    @Test("case 1: an order of 1e19 is refused at ingest, single or batched, and the loyalty program keeps earning",
          arguments: TestDatabase.engines)
    func hugeOrder(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            try await app.putJSON(client, "/api/v1/loyalty/program", Self.program)
            let huge = #"{"userId":"mia","event":"Order Completed","properties":{"order_id":"o-1","revenue":1e19}}"#
            try await client.execute(uri: "/v1/track", method: .post, headers: app.basicAuth, body: .text(huge)) {
                #expect($0.status == .badRequest && $0.json["code"] == "number_out_of_range", "\($0.json)")
            }
            let batch = #"""
                {"batch":[{"type":"track","userId":"mia","event":"Order Completed","properties":{"order_id":"o-2","revenue":"1e400"}},
                          {"type":"track","userId":"mia","event":"Order Completed","properties":{"order_id":"o-3","products":[{"price":"nan"}]}},
                          {"type":"track","userId":"mia","event":"Order Completed","properties":{"order_id":"o-4","products":[{"price":10,"quantity":1e7}]}},
                          {"type":"track","userId":"mia","event":"Order Completed","properties":{"order_id":"o-5","revenue":50}}]}
                """#
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(batch)) { r in
                #expect(r.status == .ok)
                #expect(r.json["rejected"]?.arrayValue?.map { $0["index"] } == [0, 1, 2])
                #expect(r.json["rejected"]?.arrayValue?.allSatisfy { $0["code"] == "number_out_of_range" } == true)
            }
            // The largest sane line (a trillion, a million times) multiplies past anything points can hold: capped, not a trap.
            try await app.track(client, #"{"type":"track","userId":"leo","event":"Order Completed","properties":{"order_id":"o-6","products":[{"price":1e12,"quantity":1e6},{"price":1e12,"quantity":1e6}]}}"#)
            try await app.process()
            let mia = try await app.profileId(client, "userId=mia")
            #expect(try await app.get(client, "/api/v1/loyalty/members/\(mia)")["account"]?["balance"] == 50)
            let leo = try await app.profileId(client, "userId=leo")
            #expect(try await app.get(client, "/api/v1/loyalty/members/\(leo)")["account"]?["balance"]?.intValue == Int64(LoyaltyProgram.maxOrderPoints))
            let rejections = try await app.get(client, "/api/v1/ingest/rejected")
            #expect(rejections["rejected"]?.arrayValue?.filter { $0["code"] == "number_out_of_range" }.count == 4, "kept as dead letters with the reason")
        }
    }

    @Test("case 1: the points preview refuses 1e19 with 400 and caps what multiplies past it")
    func simulate() async throws {
        try await TestApp.run { app, client in
            try await app.putJSON(client, "/api/v1/loyalty/program", #"{"pendingDays":0,"pointsPerUnit":1000,"tiers":[{"key":"gold","threshold":0,"multiplier":1000}]}"#)
            try await app.postJSON(client, "/api/v1/loyalty/simulate", #"{"order":{"revenue":1e19}}"#) {
                #expect($0.status == .badRequest && $0.json["code"] == "number_out_of_range")
            }
            try await app.postJSON(client, "/api/v1/loyalty/simulate", #"{"order":{"products":[{"price":1e12,"quantity":1e6}]},"tier":"gold"}"#) {
                #expect($0.status == .ok && $0.json["points"]?.intValue == Int64(LoyaltyProgram.maxOrderPoints))
            }
            for bad in [#"{"pointsPerUnit":1e300}"#, #"{"pendingDays":1e20}"#, #"{"tierWindowDays":9e18}"#, #"{"tiers":[{"key":"x","threshold":0,"multiplier":1e308}]}"#,
                        #"{"rewards":[{"key":"r","cost":10,"kind":"amount-off","value":1e300}]}"#] {
                try await client.execute(uri: "/api/v1/loyalty/program", method: .put, headers: app.jsonHeaders, body: .text(bad)) {
                    #expect($0.status == .badRequest && $0.json["code"] == "invalid_program", "\(bad)")
                }
            }
        }
    }

    @Test("case 1: a shop with 2 to 9 scored customers runs its predictions", arguments: [2, 5, 9])
    func fewCustomers(count: Int) async throws {
        let clock = ManualClock(ISO8601.parse("2026-03-02T00:00:00Z")!)
        try await TestApp.run(clock: clock) { app, client in
            for c in 0..<count {
                for o in 0..<2 {
                    try await app.track(client, #"{"type":"track","userId":"c\#(c)","event":"Order Completed","timestamp":"2026-01-\#(10 + c + o * 9)T10:00:00Z","properties":{"order_id":"c\#(c)-\#(o)","revenue":\#(20 + c)}}"#)
                }
            }
            try await app.process()
            try await client.execute(uri: "/api/v1/predictions/run", method: .post, headers: app.adminHeaders) { r in
                #expect(r.status == .ok, "\(r.json)")
                #expect(r.json["customers"]?.intValue == Int64(count))
            }
            let run = try await app.get(client, "/api/v1/predictions/models")["runs"]?.arrayValue?.first
            let bands = run?["distributions"]?["clvDeciles"]?.arrayValue ?? []
            #expect(bands.count == count, "one band per customer when there are fewer than ten")
            #expect(bands.reduce(0) { $0 + ($1["customers"]?.intValue ?? 0) } == Int64(count))
        }
    }

    @Test("case 8: an order whose products are not objects does not break later prediction runs", arguments: TestDatabase.engines)
    func productsNotObjects(engine: Dialect) async throws {
        let clock = ManualClock(ISO8601.parse("2026-03-02T00:00:00Z")!)
        try await TestApp.run(engine, clock: clock) { app, client in
            for c in 0..<12 {
                try await app.track(client, #"{"type":"track","userId":"c\#(c)","event":"Order Completed","timestamp":"2026-01-1\#(c % 9)T10:00:00Z","properties":{"order_id":"o\#(c)","revenue":30,"products":[{"product_id":"p1","category":"Shoes"}]}}"#)
            }
            try await app.track(client, #"{"type":"track","userId":"c1","event":"Order Completed","timestamp":"2026-02-01T10:00:00Z","properties":{"order_id":"x1","revenue":5,"products":["x",7,null,[1]]}}"#)
            try await app.process()
            for _ in 0..<2 {
                try await client.execute(uri: "/api/v1/predictions/run", method: .post, headers: app.adminHeaders) { #expect($0.status == .ok, "\($0.json)") }
            }
        }
    }

    @Test("case 10: timestamps of year 0000 and 9999, and dates that do not exist, are refused at ingest")
    func timestamps() async throws {
        try await TestApp.run { app, client in
            let bad = ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-02-30T10:00:00Z", "2023-02-29", "2024-04-31T00:00:00Z",
                       "1969-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "2024-01-01T10:00:00+99:00"]
            for ts in bad {
                try await client.execute(uri: "/v1/track", method: .post, headers: app.basicAuth,
                                         body: .text(#"{"userId":"u","event":"E","timestamp":"\#(ts)"}"#)) {
                    #expect($0.status == .badRequest && $0.json["code"] == "invalid_timestamp", "\(ts)")
                }
            }
            // A sentAt far from the timestamp corrects it out of range: refused as well.
            try await client.execute(uri: "/v1/track", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"userId":"u","event":"E","timestamp":"1971-01-01T00:00:00Z","sentAt":"2099-01-01T00:00:00Z"}"#)) {
                #expect($0.status == .badRequest && $0.json["code"] == "invalid_timestamp")
            }
            try await client.execute(uri: "/v1/track", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"userId":"u","event":"E","timestamp":"2024-02-29T10:00:00Z"}"#)) { #expect($0.status == .ok) }
            #expect(try await app.storedEvents().count == 1)
        }
    }

    @Test("NUL in any string of a message is refused on its own, not by failing the batch it shares a transaction with",
          arguments: TestDatabase.engines)
    func nul(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let batch = #"{"batch":[{"type":"track","userId":"a","event":"E","properties":{"note":"x\u0000y"}},{"type":"track","userId":"b","event":"E"},"# +
                #"{"type":"identify","userId":"c","traits":{"na\u0000me":"z"}}]}"#
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(batch)) { r in
                #expect(r.status == .ok && r.json["rejected"]?.arrayValue?.map { $0["index"] } == [0, 2])
            }
            #expect(try await app.storedEvents().map(\.userId) == ["b"])
        }
    }
}

extension TestApp {
    /// Admin JSON headers.
    var jsonHeaders: HTTPFields {
        var headers = adminHeaders
        headers[.contentType] = "application/json"
        return headers
    }

    /// PUTs a JSON document to an admin route and expects 200.
    func putJSON(_ client: some TestClientProtocol, _ path: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await client.execute(uri: path, method: .put, headers: jsonHeaders, body: .text(body)) {
            #expect($0.status == .ok, "\(path): \($0.json)", sourceLocation: sourceLocation)
        }
    }

    /// POSTs a JSON document to an admin route and hands the response to `check`.
    func postJSON(_ client: some TestClientProtocol, _ path: String, _ body: String, headers: HTTPFields? = nil,
                  _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        try await client.execute(uri: path, method: .post, headers: headers ?? jsonHeaders, body: .text(body)) { try check($0) }
    }
}
