import CicloCore
import CicloEngine
import CicloStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Write-key endpoints for sites and apps: `/v1/personalize` (on-site messages for a visitor now), and web push
/// registration (`/v1/push/vapid-public-key`, `/v1/push/subscribe`).
struct PersonalizeRoutes {
    let environment: ServerEnvironment

    func register(on router: Router<CicloRequestContext>) {
        let store = environment.store
        let group = router.group("v1").add(middleware: CORSMiddleware(
            allowOrigin: .originBased, allowHeaders: [.accept, .authorization, .contentType, .origin], allowMethods: [.get, .post, .options]))
        group.get("personalize") { request, _ in
            let source = try await self.source(request, body: [:])
            let q = QueryParameters(request: request)
            guard let profile = try await self.profile(source.workspaceId, userId: q.string("userId"), anonymousId: q.string("anonymousId")) else {
                return JSONResponse.make(["messages": [], "personalized": false] as JSONValue)
            }
            let messages = try await store.onsiteMessages(workspaceId: source.workspaceId, profileId: profile)
            var body: [String: JSONValue] = ["messages": .array(messages), "personalized": true]
            // `slots=content` adds the person's next best content, recorded as seen.
            if (q.string("slots") ?? "").split(separator: ",").contains("content") {
                let advice = try await environment.content.next(workspaceId: source.workspaceId, profileId: profile)
                if !advice.picks.isEmpty { try await ContentImpressions(environment: environment).record(advice, workspaceId: source.workspaceId, profileId: profile) }
                body["content"] = AdminContentRoutes.advice(advice)
            }
            return JSONResponse.make(JSONValue.object(body))
        }
        group.get("push/vapid-public-key") { request, _ in
            let source = try await self.source(request, body: [:])
            let keys = try await store.vapidKeys(workspaceId: source.workspaceId) {
                let key = P256.Signing.PrivateKey()
                return (LinkSigner.base64url(key.rawRepresentation), LinkSigner.base64url(key.publicKey.x963Representation))
            }
            return JSONResponse.make(["publicKey": keys.publicKey])
        }
        group.post("push/subscribe") { request, _ in
            let body = try await TrackingRequestBody.read(request)
            let source = try await self.source(request, body: body)
            guard let endpoint = body["subscription"]?["endpoint"]?.stringValue, endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://"),
                  let p256dh = body["subscription"]?["keys"]?["p256dh"]?.stringValue, let auth = body["subscription"]?["keys"]?["auth"]?.stringValue,
                  let key = LinkSigner.unbase64url(p256dh), key.count == 65, LinkSigner.unbase64url(auth) != nil else {
                throw CicloError.badRequest("invalid_subscription", "Send subscription: {endpoint, keys: {p256dh, auth}} as the browser gives it.")
            }
            guard let profile = try await self.profile(source.workspaceId, userId: body["userId"]?.scalarText,
                                                       anonymousId: body["anonymousId"]?.scalarText) else {
                throw CicloError.notFound("A person with that userId or anonymousId")
            }
            try await store.savePushSubscription(workspaceId: source.workspaceId, profileId: profile,
                                                 PushSubscription(endpoint: endpoint, p256dh: p256dh, auth: auth))
            return JSONResponse.make(["success": true])
        }
    }

    func source(_ request: Request, body: JSONValue) async throws -> Source {
        var key = WriteKeyAuthentication.writeKey(request, body: body)
        if key == nil { key = QueryParameters(request: request).string("writeKey") }
        guard let key, let source = try await environment.credentials.source(writeKey: key) else {
            throw CicloError(.unauthorized, code: "unauthorized", "Send a valid write key (Basic auth, body writeKey or ?writeKey=).")
        }
        return source
    }

    func profile(_ workspaceId: Int64, userId: String?, anonymousId: String?) async throws -> Int64? {
        for (kind, value) in [(IdentifierKind.userId, userId), (.anonymousId, anonymousId)] {
            guard let value, let id = Identifier.normalised(kind, value) else { continue }
            if let found = try await environment.store.findProfiles(workspaceId: workspaceId, identifier: id, limit: 1).first { return found.id }
        }
        return nil
    }
}
