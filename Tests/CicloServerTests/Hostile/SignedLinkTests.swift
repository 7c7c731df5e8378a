import CicloCore
import CicloEngine
import CicloServer
import CicloStore
import CicloTesting
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 17, case 10: a signed link works only as what it was signed for, and only in its one spelling.
@Suite("Signed links: kinds do not cross, spellings are canonical")
struct SignedLinkTests {
    @Test("an unsubscribe token is no open pixel, a preferences token no one-click unsubscribe; '==' after a signature is refused")
    func kinds() async throws {
        try await TestApp.run { app, client in
            try await app.track(client, #"{"type":"identify","userId":"u1","traits":{"email":"u1@example.com"}}"#)
            try await app.process()
            let id = try await app.profileId(client, "userId=u1")
            let workspace = try await app.store.workspace(named: app.credentials.workspace)
            let message = try #require(try await app.store.queueMessage(workspaceId: workspace.id, profileId: id, channel: "email", template: "t",
                                                                        transactional: false, key: "k1", payload: [:]))
            let secret = workspace.secret
            let unsubscribe = LinkSigner.token(.unsubscribe, ["w": .int(workspace.id), "p": .int(id), "c": "email", "t": "marketing", "m": .int(message)], secret: secret)
            let preferences = LinkSigner.token(.preferences, ["w": .int(workspace.id), "p": .int(id)], secret: secret)
            let open = LinkSigner.token(.open, ["w": .int(workspace.id), "m": .int(message)], secret: secret)
            try await client.execute(uri: "/t/o/\(unsubscribe).gif", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/u/\(preferences)", method: .post) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/preferences/\(unsubscribe)", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/t/o/\(open)==.gif", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/t/o/\(open).gif", method: .get) { #expect($0.status == .ok) }
            #expect(try await app.store.consents(workspaceId: workspace.id, profileId: id).isEmpty, "nothing was unsubscribed")
            // Links in mail sent before kinds were signed keep working for what they were, and only that.
            let legacyOpen = Self.legacy(["w": .int(workspace.id), "m": .int(message)], secret: secret)
            try await client.execute(uri: "/t/o/\(legacyOpen).gif", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/u/\(legacyOpen)", method: .post) { #expect($0.status == .notFound) }
        }
    }

    @Test("base64url has one spelling: padding, other alphabets and non-canonical trailing bits are refused")
    func canonical() {
        #expect(LinkSigner.unbase64url("AAE") != nil)
        for bad in ["AAE=", "AAF", "AA+E", "AA/E", "A", "AAE ", "AA\u{0}E"] {
            #expect(LinkSigner.unbase64url(bad) == nil, "\(bad.debugDescription)")
        }
    }

    /// A token as signed before kinds were part of the payload.
    static func legacy(_ payload: JSONValue, secret: String) -> String {
        let body = LinkSigner.base64url(Data(payload.jsonText.utf8))
        return body + "." + LinkSigner.base64url(Data(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))))
    }
}
