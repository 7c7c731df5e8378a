import AsyncHTTPClient
import CicloCore
import Foundation
import NIOCore
import NIOHTTP1

/// SMS and WhatsApp through Twilio's Messages API wire format (any compatible provider works with its base URL).
struct TwilioSender: Sendable {
    let settings: TwilioSettings
    let client: HTTPClient
    let statusCallback: String

    func send(_ message: ComposedMessage, whatsapp: Bool) async -> DeliveryResult {
        guard let phone = message.profile.contactPhone(identifiers: message.identifiers) else {
            return .suppressed("no phone number")
        }
        guard let from = whatsapp ? settings.whatsappFrom : settings.smsFrom else {
            return .failed("no sender number configured for \(whatsapp ? "WhatsApp" : "SMS")", permanent: true)
        }
        var form: [(String, String)] = [("To", whatsapp ? "whatsapp:\(phone)" : phone), ("From", whatsapp ? "whatsapp:\(from)" : from),
                                        ("StatusCallback", statusCallback)]
        if whatsapp, let template = message.parts["template"], !template.isEmpty {
            // A pre-approved WhatsApp template: Twilio's Content API takes its id and numbered variables.
            form.append(("ContentSid", template))
            let variables = (message.parts["variables"] ?? "").split(separator: "|").enumerated()
                .map { ("\($0.offset + 1)", JSONValue.string($0.element.trimmingCharacters(in: .whitespaces))) }
            form.append(("ContentVariables", JSONValue.object(Dictionary(uniqueKeysWithValues: variables)).jsonText))
        } else {
            form.append(("Body", message.parts["text"] ?? ""))
        }
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: "\(settings.baseURL)/2010-04-01/Accounts/\(settings.accountSid)/Messages.json")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(settings.accountSid):\(settings.authToken)".utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(20))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            let json = try? JSONValue.parse(text)
            switch response.status.code {
            case 200..<300: return .sent(providerId: json?["sid"]?.stringValue)
            case 429, 500..<600: return .retry("provider answered \(response.status.code)")
            default:
                return .failed("\(json?["code"]?.scalarText ?? "\(response.status.code)"): \(json?["message"]?.stringValue ?? text.prefix(200).description)",
                               permanent: true)
            }
        } catch {
            return .retry("\(error)")
        }
    }

    /// Form encoding: everything but unreserved characters is percent-encoded (`+` and `&` included).
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
