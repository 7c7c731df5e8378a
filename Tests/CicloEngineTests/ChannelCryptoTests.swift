@testable import CicloEngine
import CicloCore
import Crypto
import Foundation
import Testing

@Suite("Channel building blocks")
struct ChannelCryptoTests {
    @Test("signed link tokens verify, and any change breaks them")
    func tokens() {
        let token = LinkSigner.token(.click, ["w": 1, "m": 42, "u": "https://shop.example.com/"], secret: "s3cret")
        #expect(LinkSigner.verify(token, kind: .click, secret: "s3cret")?["m"] == 42)
        #expect(LinkSigner.verify(token, kind: .click, secret: "other") == nil)
        let parts = token.split(separator: ".")
        let altered = LinkSigner.base64url(Data(#"{"m":43,"u":"https://evil.example/","w":1}"#.utf8)) + "." + parts[1]
        #expect(LinkSigner.verify(altered, kind: .click, secret: "s3cret") == nil)
        #expect(LinkSigner.verify("garbage", kind: .click, secret: "s3cret") == nil)
    }

    @Test("web push payloads decrypt with the receiving key (RFC 8291 round trip)")
    func webPush() throws {
        let browser = P256.KeyAgreement.PrivateKey()
        let auth = Data((0..<16).map { UInt8($0) })
        let body = try WebPushCrypto.encrypt(Data("hello".utf8), p256dh: LinkSigner.base64url(browser.publicKey.x963Representation),
                                             auth: LinkSigner.base64url(auth))
        let salt = body.prefix(16), serverPublic = body[21..<86], sealed = body[86...]
        let shared = try browser.sharedSecretFromKeyAgreement(with: try P256.KeyAgreement.PublicKey(x963Representation: serverPublic))
        let info = Data("WebPush: info".utf8) + [0] + browser.publicKey.x963Representation + serverPublic
        let ikm = shared.withUnsafeBytes { HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data($0)), salt: auth, info: info, outputByteCount: 32) }
        let cek = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: aes128gcm".utf8) + [0], outputByteCount: 16)
        let nonce = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: nonce".utf8) + [0], outputByteCount: 12)
        let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }), ciphertext: sealed.dropLast(16), tag: sealed.suffix(16))
        #expect(try AES.GCM.open(box, using: cek) == Data("hello".utf8) + [2])
    }

    @Test("MIME messages carry UTF-8 subjects, both parts and the one-click unsubscribe headers")
    func mime() {
        let message = MIMEMessage(from: ("Bottega Ciclo", "shop@example.com"), to: "ada@example.com", subject: "Ciao Ada, è arrivato 🎉",
                                  text: "Hello", html: "<p>Hello</p>", messageId: "1.2@example.com", date: Date(timeIntervalSince1970: 0),
                                  unsubscribeURL: "https://x/u/abc")
        let text = message.rendered
        #expect(text.contains("Subject: =?UTF-8?B?"))
        #expect(text.contains("List-Unsubscribe: <https://x/u/abc>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click"))
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(text.components(separatedBy: "Content-Transfer-Encoding: base64").count == 3)
        #expect(!text.split(separator: "\r\n").contains { $0.count > 998 })
    }

    @Test("Twilio form encoding escapes plus and ampersand")
    func formEncoding() {
        #expect(TwilioSender.encode("+39 333&x=1") == "%2B39%20333%26x%3D1")
    }

    @Test("webhook signatures are HMAC-SHA256 over timestamp.body")
    func webhookSignature() {
        let expected = HMAC<SHA256>.authenticationCode(for: Data("1700000000.{}".utf8), using: SymmetricKey(data: Data("k".utf8)))
            .map { String(format: "%02x", $0) }.joined()
        #expect(WebhookSender.signature(timestamp: "1700000000", body: "{}", secret: "k") == expected)
    }
}
