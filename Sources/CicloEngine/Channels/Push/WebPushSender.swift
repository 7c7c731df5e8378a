import AsyncHTTPClient
import CicloCore
import CicloStore
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// Delivers push notifications to every browser subscription a person has.
struct WebPushSender: Sendable {
    let store: Store
    let policy: EgressPolicy
    let subject: String

    func send(_ message: ComposedMessage) async -> DeliveryResult {
        let ws = message.delivery.workspaceId
        do {
            let subscriptions = try await store.pushSubscriptions(workspaceId: ws, profileId: message.profile.id)
            guard !subscriptions.isEmpty else { return .suppressed("no push subscription") }
            let keys = try await store.vapidKeys(workspaceId: ws) {
                let key = P256.Signing.PrivateKey()
                return (LinkSigner.base64url(key.rawRepresentation), LinkSigner.base64url(key.publicKey.x963Representation))
            }
            let signing = try P256.Signing.PrivateKey(rawRepresentation: LinkSigner.unbase64url(keys.privateKey) ?? Data())
            let payload: JSONValue = ["title": .string(message.parts["title"] ?? ""), "body": .string(message.parts["body"] ?? ""),
                                      "url": .string(message.parts["url"] ?? ""), "icon": .string(message.parts["icon"] ?? ""),
                                      "messageId": .int(message.delivery.id)]
            var delivered = 0, refused = 0
            var lastError = ""
            for subscription in subscriptions {
                // A subscription that points somewhere the policy refuses (saved before the check, or allowed then
                // and not now) is skipped, and its refusal reported if nothing else went.
                if let reason = policy.refusal(subscription.endpoint) {
                    lastError = EgressRefused(reason: reason).description
                    refused += 1
                    continue
                }
                let body = try WebPushCrypto.encrypt(Data(payload.jsonBytes), p256dh: subscription.p256dh, auth: subscription.auth)
                var request = HTTPClientRequest(url: subscription.endpoint)
                request.method = .POST
                request.headers.add(name: "Content-Encoding", value: "aes128gcm")
                request.headers.add(name: "Content-Type", value: "application/octet-stream")
                request.headers.add(name: "TTL", value: "86400")
                request.headers.add(name: "Authorization", value: try WebPushCrypto.vapidAuthorization(
                    endpoint: subscription.endpoint, subject: subject, privateKey: signing))
                request.body = .bytes(ByteBuffer(bytes: body))
                let response: HTTPClientResponse
                do {
                    response = try await EgressClient.shared.execute(request, policy: policy, timeout: .seconds(15))
                } catch let refusal as EgressRefused {
                    lastError = refusal.description
                    refused += 1
                    continue
                }
                _ = try? await response.body.collect(upTo: 64 * 1024)
                switch response.status.code {
                case 200..<300: delivered += 1
                case 404, 410: try await store.removePushSubscription(workspaceId: ws, endpoint: subscription.endpoint)
                default: lastError = "push service answered \(response.status.code)"
                }
            }
            if delivered > 0 { return .sent(providerId: nil) }
            return .failed(lastError.isEmpty ? "every subscription has expired" : lastError, permanent: lastError.isEmpty || refused == subscriptions.count)
        } catch {
            return .retry("\(error)")
        }
    }
}
