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
            guard let profile = try await self.profile(source, StorefrontIdentity(q)) else {
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
            guard let endpoint = body["subscription"]?["endpoint"]?.stringValue,
                  let p256dh = body["subscription"]?["keys"]?["p256dh"]?.stringValue, let auth = body["subscription"]?["keys"]?["auth"]?.stringValue,
                  let key = LinkSigner.unbase64urlLenient(p256dh), (try? P256.KeyAgreement.PublicKey(x963Representation: key)) != nil,
                  LinkSigner.unbase64urlLenient(auth)?.count == 16, endpoint.utf8.count <= 2048 else {
                throw CicloError.badRequest("invalid_subscription", "Send subscription: {endpoint, keys: {p256dh, auth}} as the browser gives it.")
            }
            // A push endpoint is a URL the server will later POST to: it must be one the egress policy allows.
            if let reason = environment.channels.egress.refusal(endpoint) {
                throw CicloError.badRequest("invalid_endpoint", "The push endpoint is refused: \(reason).")
            }
            // A signed userId or the browser's anonymousId: anyone else's id would route their pushes to this browser.
            guard let profile = try await self.profile(source, StorefrontIdentity(body)) else {
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

    /// The person a site's request names (see `StorefrontIdentity`: a userId must be signed).
    func profile(_ source: Source, _ identity: StorefrontIdentity) async throws -> Int64? {
        guard identity.namesSomebody else { return nil }
        let workspace = try await environment.store.workspace(id: source.workspaceId)
        return try await identity.profile(workspace: workspace, store: environment.store, now: environment.clock.now())
    }
}
