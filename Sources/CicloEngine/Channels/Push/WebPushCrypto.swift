import Crypto
import Foundation

/// Web Push message encryption (RFC 8291, aes128gcm content coding of RFC 8188) and VAPID tokens (RFC 8292).
public enum WebPushCrypto {
    /// Encrypts `payload` for a subscription's `p256dh` public key and `auth` secret (both base64url).
    /// `serverKey` and `salt` are parameters only so tests can fix them; normally they are fresh per message.
    public static func encrypt(_ payload: Data, p256dh: String, auth: String, serverKey: P256.KeyAgreement.PrivateKey = .init(),
                               salt: Data? = nil) throws -> Data {
        guard let clientKeyData = LinkUnbase64(p256dh), let authSecret = LinkUnbase64(auth) else {
            throw WebPushError.invalidSubscription("p256dh and auth must be base64url")
        }
        let clientKey = try P256.KeyAgreement.PublicKey(x963Representation: clientKeyData)
        let shared = try serverKey.sharedSecretFromKeyAgreement(with: clientKey)
        let serverPublic = serverKey.publicKey.x963Representation
        // IKM = HKDF(auth, ecdh, "WebPush: info" || 0 || ua_public || as_public, 32)
        let keyInfo = Data("WebPush: info".utf8) + [0] + clientKeyData + serverPublic
        let ikm = shared.withUnsafeBytes { secret in
            HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(secret)), salt: authSecret, info: keyInfo, outputByteCount: 32)
        }
        let salt = salt ?? Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        let cek = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: aes128gcm".utf8) + [0], outputByteCount: 16)
        let nonce = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: nonce".utf8) + [0], outputByteCount: 12)
        // One record: the payload and the last-record delimiter 0x02.
        let sealed = try AES.GCM.seal(payload + [2], using: cek, nonce: AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }))
        var header = salt
        header.append(contentsOf: withUnsafeBytes(of: UInt32(4096).bigEndian) { Data($0) })
        header.append(UInt8(serverPublic.count))
        header.append(serverPublic)
        return header + sealed.ciphertext + sealed.tag
    }

    /// The `Authorization: vapid t=..., k=...` header value for a push endpoint.
    public static func vapidAuthorization(endpoint: String, subject: String, privateKey: P256.Signing.PrivateKey, now: Date = Date()) throws -> String {
        guard let url = URL(string: endpoint), let scheme = url.scheme, let host = url.host else {
            throw WebPushError.invalidSubscription("the endpoint is not a URL")
        }
        let audience = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
        let header = LinkBase64(Data(#"{"typ":"JWT","alg":"ES256"}"#.utf8))
        let claims = LinkBase64(Data(#"{"aud":"\#(audience)","exp":\#(Int(now.timeIntervalSince1970) + 12 * 3_600),"sub":"\#(subject)"}"#.utf8))
        let signature = try privateKey.signature(for: Data("\(header).\(claims)".utf8)).rawRepresentation
        let publicKey = LinkBase64(privateKey.publicKey.x963Representation)
        return "vapid t=\(header).\(claims).\(LinkBase64(signature)), k=\(publicKey)"
    }
}

/// Why a push could not be prepared.
public enum WebPushError: Error, Sendable, CustomStringConvertible {
    case invalidSubscription(String)
    public var description: String {
        switch self { case .invalidSubscription(let why): "invalid push subscription: \(why)" }
    }
}

func LinkBase64(_ data: Data) -> String { LinkSigner.base64url(data) }
func LinkUnbase64(_ text: String) -> Data? { LinkSigner.unbase64urlLenient(text) }
