import CicloCore
import CicloEngine
import CicloStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/hooks/twilio/status`: Twilio's delivery status callbacks, checked with `X-Twilio-Signature`, become events.
struct ProviderCallbackRoutes {
    let environment: ServerEnvironment
    let twilio: TwilioSettings?
    let publicURL: String

    func register(on router: Router<CicloRequestContext>) {
        let recorder = EngagementRecorder(environment: environment)
        router.post("hooks/twilio/status") { request, _ in
            guard let twilio else { throw CicloError.notFound("Endpoint") }
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 64 * 1024))
            let params = Self.form(body)
            let expected = Self.signature(url: publicURL + "/hooks/twilio/status", params: params, token: twilio.authToken)
            guard let given = request.headers[HTTPField.Name("X-Twilio-Signature")!], given == expected else {
                throw CicloError(.forbidden, code: "invalid_signature", "The X-Twilio-Signature does not match.")
            }
            guard let sid = params["MessageSid"], let status = params["MessageStatus"] else {
                throw CicloError.badRequest("invalid_callback", "MessageSid and MessageStatus are required.")
            }
            guard let message = try await environment.store.outboxMessage(providerId: sid) else { throw CicloError.notFound("Message \(sid)") }
            let channelName = message.channel == "whatsapp" ? "WhatsApp" : "SMS"
            switch status {
            case "delivered": try await recorder.record("\(channelName) Delivered", message: message)
            case "read": try await recorder.record("WhatsApp Message Read", message: message)
            case "failed", "undelivered":
                try await recorder.record("Message Failed", message: message,
                                          extra: ["reason": .string("\(status) \(params["ErrorCode"] ?? "")".trimmingCharacters(in: .whitespaces))])
            default: break
            }
            return Response(status: .noContent)
        }
    }

    static func form(_ body: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            if let key = parts.first { result[key] = parts.count > 1 ? parts[1] : "" }
        }
        return result
    }

    /// Twilio's scheme: base64 HMAC-SHA1 over the URL followed by each parameter name and value, sorted by name.
    static func signature(url: String, params: [String: String], token: String) -> String {
        let data = url + params.keys.sorted().map { $0 + (params[$0] ?? "") }.joined()
        return Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(data.utf8), using: SymmetricKey(data: Data(token.utf8)))).base64EncodedString()
    }
}
