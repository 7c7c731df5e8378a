import CicloCore
import Crypto
import Foundation

/// What a signed link is for. The kind is inside the signed payload, so a token of one kind is worthless as another
/// (an unsubscribe token is not an open pixel, a preference-centre token not a one-click unsubscribe).
public enum LinkKind: String, Sendable, CaseIterable {
    case unsubscribe = "u", preferences = "p", open = "o", click = "c", nps = "s"

    /// The payload fields tokens of this kind carried before kinds were signed; a kindless token is honoured only
    /// with exactly these, which no other kind shares, so links in mail sent earlier keep working and still
    /// cannot cross over.
    var legacyFields: Set<String> {
        switch self {
        case .unsubscribe: ["w", "p", "c", "t", "m"]
        case .preferences: ["w", "p"]
        case .open: ["w", "m"]
        case .click: ["w", "m", "u"]
        case .nps: ["w", "m", "s"]
        }
    }
}

/// Signed tokens for links in messages (opens, clicks, unsubscribes, preferences, survey answers): the payload is
/// readable, and an HMAC-SHA256 with the workspace secret makes it impossible to forge or alter without the secret.
public enum LinkSigner {
    /// `base64url(payload with its kind).base64url(hmac)`.
    public static func token(_ kind: LinkKind, _ payload: JSONValue, secret: String) -> String {
        var fields = payload.objectValue ?? [:]
        fields["k"] = .string(kind.rawValue)
        let body = base64url(Data(JSONValue.object(fields).jsonText.utf8))
        return body + "." + base64url(Data(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))))
    }

    /// The payload of a token, without checking it (to find the workspace whose secret checks it).
    public static func unverifiedPayload(_ token: String) -> JSONValue? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let data = unbase64url(String(parts[0])) else { return nil }
        return try? JSONParser.parse(data)
    }

    /// The payload when the signature is right and the token is of `kind`, nil otherwise.
    public static func verify(_ token: String, kind: LinkKind, secret: String) -> JSONValue? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = unbase64url(String(parts[1])), mac.count == SHA256.byteCount else { return nil }
        let key = SymmetricKey(data: Data(secret.utf8))
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(parts[0].utf8), using: key),
              let payload = unverifiedPayload(token), let fields = payload.objectValue else { return nil }
        if let signed = fields["k"] { return signed == .string(kind.rawValue) ? payload : nil }
        return Set(fields.keys) == kind.legacyFields ? payload : nil
    }

    public static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url or base64, padded or not, as browsers and push libraries variously spell keys.
    public static func unbase64urlLenient(_ text: String) -> Data? {
        var s = text.trimmingCharacters(in: CharacterSet(charactersIn: "=")).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard s.utf8.count <= 16_384 else { return nil }
        while s.utf8.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }

    /// Decodes unpadded base64url, and only its one canonical spelling: padding, other alphabets and trailing bits
    /// that re-encode differently are refused, so no two texts name the same token.
    public static func unbase64url(_ text: String) -> Data? {
        guard text.utf8.count <= 16_384,
              text.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }),
              text.utf8.count % 4 != 1 else { return nil }
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.utf8.count % 4 != 0 { s += "=" }
        guard let data = Data(base64Encoded: s), base64url(data) == text else { return nil }
        return data
    }
}
