import CicloCore
import CicloEngine
import CicloStore
import Foundation
import HTTPTypes
import Hummingbird

/// The Segment-compatible tracking API: `/v1/track`, `/v1/batch` and friends, long and short forms.
struct TrackingRoutes {
    let environment: ServerEnvironment

    private struct Accepted: Encodable {
        var success = true
        var rejected: [Rejected]?
    }

    private struct Rejected: Encodable {
        var index: Int
        var code: String
        var message: String
    }

    func register(on router: Router<CicloRequestContext>) {
        let group = router.group("v1").add(middleware: CORSMiddleware(
            allowOrigin: .originBased,
            allowHeaders: [.accept, .authorization, .contentType, .origin, .contentEncoding],
            allowMethods: [.get, .post, .options], maxAge: .seconds(86_400)))
        let single: [(EventType, [String])] = [
            (.identify, ["identify", "i"]), (.track, ["track", "t"]), (.page, ["page", "p"]),
            (.screen, ["screen", "s"]), (.group, ["group", "g"]), (.alias, ["alias", "a"]),
        ]
        for (type, paths) in single {
            for path in paths {
                group.post(RouterPath(path)) { request, context in try await self.single(type, request, context) }
            }
        }
        for path in ["batch", "b", "import"] {
            group.post(RouterPath(path)) { request, context in try await self.batch(request, context) }
        }
        group.get("projects/:writeKey/settings") { _, context in try await self.settings(context) }
    }

    private func single(_ type: EventType, _ request: Request, _ context: CicloRequestContext) async throws -> Response {
        let body = try await TrackingRequestBody.read(request)
        let source = try await WriteKeyAuthentication.source(request, body: body, credentials: environment.credentials)
        let reader = TrackingMessage(workspaceId: source.workspaceId, sourceId: source.id,
                                     receivedAt: environment.clock.now())
        let event: Event
        switch Self.read(body, with: reader, impliedType: type, defaults: .init()) {
        case .success(let read): event = read
        case .failure(let error):
            // Kept as a dead letter as in a batch, so a refused call is visible and can be replayed.
            try await environment.store.recordRejections([IngestDeadLetter(
                workspaceId: source.workspaceId, sourceId: source.id, receivedAt: reader.receivedAt, code: error.code,
                message: error.message, payload: Self.truncated(body))])
            throw error
        }
        _ = try await environment.ingest.submit([event])
        return JSONResponse.make(Accepted())
    }

    private func batch(_ request: Request, _ context: CicloRequestContext) async throws -> Response {
        let body = try await TrackingRequestBody.read(request)
        let source = try await WriteKeyAuthentication.source(request, body: body, credentials: environment.credentials)
        guard let messages = body["batch"]?.arrayValue else {
            throw CicloError.badRequest("invalid_batch", "A batch request needs a batch array of messages.")
        }
        guard messages.count <= TrackingLimits.batchMessages else {
            throw CicloError.badRequest("batch_too_large",
                "A batch holds at most \(TrackingLimits.batchMessages) messages; this one has \(messages.count).")
        }
        let receivedAt = environment.clock.now()
        var defaults = TrackingMessage.BatchDefaults(context: body["context"]?.objectValue.map(JSONValue.object))
        if let sentAt = body["sentAt"]?.stringValue {
            defaults.sentAt = ISO8601.parse(sentAt)
        }
        let reader = TrackingMessage(workspaceId: source.workspaceId, sourceId: source.id, receivedAt: receivedAt)
        var events: [Event] = []
        events.reserveCapacity(messages.count)
        var rejected: [Rejected] = []
        var deadLetters: [IngestDeadLetter] = []
        for (index, message) in messages.enumerated() {
            switch Self.read(message, with: reader, impliedType: nil, defaults: defaults) {
            case .success(let event):
                events.append(event)
            case .failure(let rejection):
                rejected.append(Rejected(index: index, code: rejection.code, message: rejection.message))
                deadLetters.append(IngestDeadLetter(
                    workspaceId: source.workspaceId, sourceId: source.id, receivedAt: receivedAt,
                    code: rejection.code, message: rejection.message, payload: Self.truncated(message)))
            }
        }
        if !deadLetters.isEmpty {
            try await environment.store.recordRejections(deadLetters)
        }
        _ = try await environment.ingest.submit(events)
        return JSONResponse.make(Accepted(rejected: rejected.isEmpty ? nil : rejected))
    }

    /// Reads one message and enforces the per-message size limit.
    static func read(_ message: JSONValue, with reader: TrackingMessage, impliedType: EventType?,
                     defaults: TrackingMessage.BatchDefaults) -> Result<Event, CicloError> {
        let size = message.jsonText.utf8.count
        guard size <= TrackingLimits.messageBytes else {
            return .failure(.badRequest("message_too_large",
                "A message is limited to \(TrackingLimits.messageBytes / 1024) KB; this one has \(size / 1024) KB."))
        }
        return reader.read(message, impliedType: impliedType, defaults: defaults)
            .mapError { CicloError.badRequest($0.code, $0.message) }
    }

    /// What the dead-letter table keeps of a rejected message: the JSON, cut to 64 KB.
    static func truncated(_ message: JSONValue) -> String {
        let text = message.jsonText
        return text.utf8.count <= 65_536 ? text : String(decoding: Array(text.utf8.prefix(65_536)), as: UTF8.self)
    }

    /// The settings analytics.js and the mobile SDKs fetch at start: just enough for them to initialise.
    private func settings(_ context: CicloRequestContext) async throws -> Response {
        let key = try context.parameters.require("writeKey")
        guard try await environment.credentials.source(writeKey: key) != nil else {
            throw CicloError(.notFound, code: "unknown_write_key", "No enabled source has this write key.")
        }
        let settings: JSONValue = [
            "integrations": ["Segment.io": ["apiKey": .string(key), "unbundledIntegrations": [],
                                            "addBundledMetadata": true, "maybeBundledConfigIds": [:]]],
            "plan": ["track": ["__default": ["enabled": true, "integrations": [:]]],
                     "identify": ["__default": ["enabled": true]], "group": ["__default": ["enabled": true]]],
            "edgeFunction": [:], "analyticsNextEnabled": true, "middlewareSettings": [:], "enabledMiddleware": [:],
            "metrics": ["sampleRate": 0], "legacyVideoPluginsEnabled": false, "remotePlugins": [],
        ]
        return JSONResponse.make(settings)
    }
}

extension Result where Failure == IngestRejection {
    func mapError(_ transform: (IngestRejection) -> CicloError) -> Result<Success, CicloError> {
        switch self {
        case .success(let value): .success(value)
        case .failure(let rejection): .failure(transform(rejection))
        }
    }
}
