import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Tracking API: routes, authentication and responses")
struct TrackingRoutesTests {
    @Test("every long and short route stores its call type", arguments: TestDatabase.engines)
    func routes(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let calls: [(String, String, String)] = [
                ("/v1/identify", "identify", #"{"userId":"u1","traits":{"plan":"pro"}}"#),
                ("/v1/i", "identify", #"{"userId":"u1"}"#),
                ("/v1/track", "track", #"{"userId":"u1","event":"Signed Up"}"#),
                ("/v1/t", "track", #"{"userId":"u1","event":"Signed Up"}"#),
                ("/v1/page", "page", #"{"anonymousId":"a1","name":"Home"}"#),
                ("/v1/p", "page", #"{"anonymousId":"a1"}"#),
                ("/v1/screen", "screen", #"{"anonymousId":"a1","name":"Cart"}"#),
                ("/v1/s", "screen", #"{"anonymousId":"a1"}"#),
                ("/v1/group", "group", #"{"userId":"u1","groupId":"acme"}"#),
                ("/v1/g", "group", #"{"userId":"u1","groupId":"acme"}"#),
                ("/v1/alias", "alias", #"{"userId":"u1","previousId":"a1"}"#),
                ("/v1/a", "alias", #"{"userId":"u1","previousId":"a1"}"#),
            ]
            for (path, _, body) in calls {
                try await client.execute(uri: path, method: .post, headers: app.basicAuth, body: .text(body)) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.json == ["success": true], "\(path)")
                }
            }
            let stored = try await app.storedEvents()
            #expect(stored.map(\.type.rawValue) == calls.map(\.1))
            #expect(stored[4].name == "Home")
            #expect(stored[10].previousId == "a1")
            #expect(stored[8].groupId == "acme")
        }
    }

    @Test("the write key is accepted as Basic user (with or without colon), in the body, and beside a Bearer token")
    func authentication() async throws {
        try await TestApp.run { app, client in
            let key = app.credentials.writeKey
            let variants: [HTTPFields] = [
                [.authorization: "Basic " + Data("\(key):".utf8).base64EncodedString()],
                [.authorization: "Basic " + Data(key.utf8).base64EncodedString()],
                [.authorization: "Bearer some-oauth-token", .authorization: "Basic " + Data("\(key):".utf8).base64EncodedString()],
            ]
            for headers in variants {
                try await client.execute(uri: "/v1/track", method: .post, headers: headers,
                                         body: .text(#"{"userId":"u","event":"E"}"#)) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/v1/batch", method: .post, headers: [.authorization: "Bearer x"],
                                     body: .text(#"{"writeKey":"\#(key)","batch":[{"type":"track","userId":"u","event":"E"}]}"#)) {
                #expect($0.status == .ok)
            }
            #expect(try await app.storedEvents().count == 4)
        }
    }

    @Test("unknown, missing and disabled write keys get 401 and store nothing")
    func unauthorized() async throws {
        try await TestApp.run { app, client in
            let body = ByteBuffer.text(#"{"userId":"u","event":"E"}"#)
            try await client.execute(uri: "/v1/track", method: .post, body: body) { response in
                #expect(response.status == .unauthorized)
                #expect(response.json["code"] == "unauthorized")
            }
            try await client.execute(uri: "/v1/track", method: .post,
                                     headers: [.authorization: "Basic " + Data("wrong:".utf8).base64EncodedString()], body: body) {
                #expect($0.status == .unauthorized)
            }
            let web = try await app.store.createSource(workspace: "shop", name: "web")
            try await app.store.setSourceEnabled(workspaceId: web.workspaceId, name: "web", enabled: false)
            try await client.execute(uri: "/v1/track", method: .post,
                                     headers: [.authorization: "Basic " + Data("\(web.writeKey):".utf8).base64EncodedString()],
                                     body: body) { #expect($0.status == .unauthorized) }
            #expect(try await app.storedEvents().isEmpty)
        }
    }

    @Test("JSON as text/plain and gzip bodies are read; other bodies get clear errors")
    func bodies() async throws {
        try await TestApp.run { app, client in
            var plain = app.basicAuth
            plain[.contentType] = "text/plain"
            try await client.execute(uri: "/v1/t", method: .post, headers: plain,
                                     body: .text(#"{"anonymousId":"a","event":"E"}"#)) { #expect($0.status == .ok) }

            var gzip = app.basicAuth
            gzip[.contentEncoding] = "gzip"
            let compressed = try Gzip.compress(#"{"batch":[{"type":"track","anonymousId":"a","event":"Zipped"}]}"#)
            try await client.execute(uri: "/v1/batch", method: .post, headers: gzip, body: compressed) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/batch", method: .post, headers: gzip, body: .text("not gzip")) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["code"] == "invalid_encoding")
            }

            let bad: [(HTTPFields, String, HTTPResponse.Status, String)] = [
                (app.basicAuth, "{not json", .badRequest, "invalid_json"),
                (app.basicAuth, "[1,2]", .badRequest, "invalid_json"),
                (app.basicAuth, "", .badRequest, "invalid_json"),
                ({ var h = app.basicAuth; h[.contentType] = "multipart/form-data"; return h }(), "{}", .unsupportedMediaType,
                 "unsupported_media_type"),
                ({ var h = app.basicAuth; h[.contentEncoding] = "br"; return h }(), "{}", .unsupportedMediaType,
                 "unsupported_encoding"),
            ]
            for (headers, body, status, code) in bad {
                try await client.execute(uri: "/v1/track", method: .post, headers: headers, body: .text(body)) { response in
                    #expect(response.status == status, "\(body)")
                    #expect(response.json["code"]?.stringValue == code, "\(body)")
                }
            }
            #expect(try await app.storedEvents().map(\.event) == ["E", "Zipped"])
        }
    }

    @Test("size limits: 32 KB a message, 500 KB a request, 2,500 messages a batch")
    func limits() async throws {
        try await TestApp.run { app, client in
            let big = String(repeating: "x", count: 33 * 1024)
            try await client.execute(uri: "/v1/track", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"userId":"u","event":"E","properties":{"blob":"\#(big)"}}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["code"] == "message_too_large")
            }
            let huge = String(repeating: "y", count: 30 * 1024)
            let many = (0..<20).map { _ in #"{"type":"track","userId":"u","event":"E","properties":{"p":"\#(huge)"}}"# }
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"batch":[\#(many.joined(separator: ","))]}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["code"] == "request_too_large")
            }
            let tooMany = (0..<2_501).map { _ in #"{"type":"track","userId":"u","event":"E"}"# }
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"batch":[\#(tooMany.joined(separator: ","))]}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["code"] == "batch_too_large")
            }
            #expect(try await app.storedEvents().isEmpty)
        }
    }

    @Test("invalid single messages get 400 with the Segment codes")
    func invalidMessages() async throws {
        try await TestApp.run { app, client in
            let cases: [(String, String, String)] = [
                ("/v1/track", #"{"event":"E"}"#, "no_user_anon_id"),
                ("/v1/track", #"{"userId":null,"anonymousId":null,"event":"E"}"#, "no_user_anon_id"),
                ("/v1/track", #"{"userId":""}"#, "no_user_anon_id"),
                ("/v1/track", #"{"userId":"u"}"#, "missing_event"),
                ("/v1/track", #"{"userId":"u","event":"E","messageId":"\#(String(repeating: "m", count: 101))"}"#, "invalid_message_id"),
                ("/v1/track", #"{"userId":"u","event":"E","timestamp":"yesterday"}"#, "invalid_timestamp"),
                ("/v1/track", #"{"userId":"u","event":"E","properties":[1]}"#, "invalid_properties"),
                ("/v1/track", #"{"type":"identify","userId":"u"}"#, "invalid_type"),
                ("/v1/group", #"{"userId":"u"}"#, "missing_group_id"),
                ("/v1/alias", #"{"userId":"u"}"#, "invalid_alias"),
            ]
            for (path, body, code) in cases {
                try await client.execute(uri: path, method: .post, headers: app.basicAuth, body: .text(body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(response.json["code"]?.stringValue == code, "\(body)")
                    #expect(response.json["message"]?.stringValue?.isEmpty == false)
                }
            }
            #expect(try await app.storedEvents().isEmpty)
        }
    }

    @Test("a batch stores its valid messages and lists the rejected ones, which the admin API keeps", arguments: TestDatabase.engines)
    func partialBatch(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let body = #"{"batch":[{"type":"track","userId":"u","event":"A"},{"type":"track","event":"B"},{"type":"bogus","userId":"u"},{"type":"track","userId":"u","event":"D"}]}"#
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(body)) { response in
                #expect(response.status == .ok)
                #expect(response.json["success"] == true)
                let rejected = response.json["rejected"]?.arrayValue ?? []
                #expect(rejected.map { $0["index"] } == [1, 2])
                #expect(rejected.map { $0["code"] } == ["no_user_anon_id", "invalid_type"])
            }
            #expect(try await app.storedEvents().map(\.event) == ["A", "D"])
            try await client.execute(uri: "/api/v1/ingest/rejected", method: .get, headers: app.adminHeaders) { response in
                let rejected = response.json["rejected"]?.arrayValue ?? []
                #expect(rejected.count == 2)
                #expect(rejected.last?["payload"]?["event"] == "B")
            }
        }
    }

    @Test("a repeated messageId is accepted and stored once", arguments: TestDatabase.engines)
    func deduplication(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let body = #"{"batch":[{"type":"track","userId":"u","event":"A","messageId":"m-1"},{"type":"track","userId":"u","event":"A","messageId":"m-2"}]}"#
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(body)) {
                    #expect($0.status == .ok)
                }
            }
            #expect(try await app.storedEvents().map(\.messageId) == ["m-1", "m-2"])
        }
    }

    @Test("batch context and sentAt apply to each message; timestamps are corrected for the device clock")
    func batchDefaultsAndTime() async throws {
        let clock = ManualClock(ISO8601.parse("2026-05-01T12:00:00Z")!)
        try await TestApp.run(clock: clock) { app, client in
            // The device clock is an hour fast: it says it sent at 13:00:10 an event from 13:00:00.
            let body = #"""
                {"batch":[{"type":"track","userId":"u","event":"A","timestamp":"2026-05-01T13:00:00Z","context":{"locale":"it-IT","app":{"v":2}}}],
                 "sentAt":"2026-05-01T13:00:10Z","context":{"locale":"en-US","app":{"name":"shop"},"ip":"1.2.3.4"}}
                """#
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth, body: .text(body)) {
                #expect($0.status == .ok)
            }
            let event = try #require(try await app.storedEvents().first)
            #expect(event.context == ["locale": "it-IT", "ip": "1.2.3.4", "app": ["name": "shop", "v": 2]])
            #expect(event.originalTimestamp == ISO8601.parse("2026-05-01T13:00:00Z"))
            #expect(event.sentAt == ISO8601.parse("2026-05-01T13:00:10Z"))
            #expect(event.receivedAt == ISO8601.parse("2026-05-01T12:00:00Z"))
            #expect(event.timestamp == ISO8601.parse("2026-05-01T11:59:50Z"))
            #expect(event.messageId.hasPrefix("ciclo-"))
        }
    }

    @Test("the SDK settings endpoint answers for a known key and 404 for an unknown one")
    func settings() async throws {
        try await TestApp.run { app, client in
            try await client.execute(uri: "/v1/projects/\(app.credentials.writeKey)/settings", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["integrations"]?["Segment.io"]?["apiKey"]?.stringValue == app.credentials.writeKey)
            }
            try await client.execute(uri: "/v1/projects/nope/settings", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.json["code"] == "unknown_write_key")
            }
        }
    }

    @Test("when the writer is full the API answers 429 with Retry-After and stores nothing of that request")
    func backpressure() async throws {
        try await TestApp.run(ingest: .init(maxBatchEvents: 10, maxQueuedEvents: 5)) { app, client in
            let messages = (0..<6).map { #"{"type":"track","userId":"u","event":"E\#($0)"}"# }
            try await client.execute(uri: "/v1/batch", method: .post, headers: app.basicAuth,
                                     body: .text(#"{"batch":[\#(messages.joined(separator: ","))]}"#)) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.json["code"] == "overloaded")
                #expect(response.headers[.retryAfter] != nil)
                #expect(response.headers[HTTPField.Name("X-RateLimit-Reset")!] != nil)
            }
            #expect(try await app.storedEvents().isEmpty)
        }
    }
}
