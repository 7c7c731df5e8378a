import CicloCore
import Crypto
import Foundation

/// Signed tokens for links in messages (opens, clicks, unsubscribes, preferences): the payload is readable, and an
/// HMAC-SHA256 with the workspace secret makes it impossible to forge or alter without the secret.
public enum LinkSigner {
    /// `base64url(payload).base64url(hmac)`.
    public static func token(_ payload: JSONValue, secret: String) -> String {
        let body = base64url(Data(payload.jsonText.utf8))
        return body + "." + base64url(Data(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))))
    }

    /// The payload of a token, without checking it (to find the workspace whose secret checks it).
    public static func unverifiedPayload(_ token: String) -> JSONValue? {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let data = unbase64url(String(parts[0])) else { return nil }
        return try? JSONParser.parse(data)
    }

    /// The payload when the signature is right, nil otherwise.
    public static func verify(_ token: String, secret: String) -> JSONValue? {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let mac = unbase64url(String(parts[1])) else { return nil }
        let key = SymmetricKey(data: Data(secret.utf8))
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(parts[0].utf8), using: key) else { return nil }
        return unverifiedPayload(token)
    }

    public static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func unbase64url(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
