import AsyncHTTPClient
import CicloCore
import CicloStore
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// Journey webhook steps: a JSON POST signed with HMAC-SHA256 over `timestamp.body` with the workspace's
/// webhook signing secret.
public struct WebhookSender: Sendable {
    let policy: EgressPolicy
    let timeout: Duration

    func send(_ delivery: Delivery, url: String, profile: Profile, identifiers: [Identifier], secret: String, now: Date) async -> DeliveryResult {
        let body: JSONValue = [
            "id": .int(delivery.id), "type": "journey.webhook", "journey": delivery.journeyKey.map(JSONValue.string) ?? .null,
            "step": delivery.step.map(JSONValue.string) ?? .null, "timestamp": .string(ISO8601.format(now)),
            "profile": ["id": .int(profile.id), "identities": .array(identifiers.map { ["kind": .string($0.kind.rawValue), "value": .string($0.value)] }),
                        "traits": .object(profile.traits)],
            "event": delivery.payload["trigger"] ?? [:],
        ]
        let text = body.jsonText
        let timestamp = String(Int(now.timeIntervalSince1970))
        let signature = Self.signature(timestamp: timestamp, body: text, secret: Self.signingSecret(workspaceSecret: secret))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Ciclo-Timestamp", value: timestamp)
        request.headers.add(name: "X-Ciclo-Signature", value: "v1=\(signature)")
        request.headers.add(name: "Idempotency-Key", value: "ciclo-\(delivery.id)")
        request.body = .bytes(ByteBuffer(string: text))
        do {
            let response = try await EgressClient.shared.execute(request, policy: policy, timeout: .seconds(timeout.components.seconds))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            switch response.status.code {
            case 200..<300: return .sent(providerId: nil)
            case 400..<500 where response.status.code != 429 && response.status.code != 408:
                return .failed("the endpoint answered \(response.status.code)", permanent: true)
            default: return .retry("the endpoint answered \(response.status.code)")
            }
        } catch let refused as EgressRefused {
            return .failed(refused.description, permanent: true)
        } catch {
            return .retry("\(error)")
        }
    }

    /// The secret receivers verify with, derived from the workspace secret so that showing it to admins does not
    /// also hand out the key that signs unsubscribe and tracking links.
    public static func signingSecret(workspaceSecret: String) -> String {
        "whsec_" + HMAC<SHA256>.authenticationCode(for: Data("ciclo webhook signing".utf8), using: SymmetricKey(data: Data(workspaceSecret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Hex HMAC-SHA256 of `timestamp.body`.
    static func signature(timestamp: String, body: String, secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }
}

/// How one delivery attempt ended.
public enum DeliveryResult: Sendable, Equatable {
    case sent(providerId: String?)
    case retry(String)
    case failed(String, permanent: Bool)
    case suppressed(String)
    /// Not now (quiet hours): try again at this time, without counting as a failure.
    case hold(until: Int64)
}
