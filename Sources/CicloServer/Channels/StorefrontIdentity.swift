import CicloCore
import CicloStore
import Crypto
import Foundation

/// Who a write-key request from a site or app speaks for. The write key is public (it is in every page), so it
/// proves nothing about a person: an `anonymousId` is the browser's own random id and is taken as given, but a
/// `userId` can be guessed, so it counts only with `expires` and a `signature` from the shop's backend (the hex
/// HMAC-SHA256 of `userId.expires` under the workspace's storefront secret), as for the loyalty widget.
struct StorefrontIdentity {
    /// The ids and proof a request carries.
    var userId: String?
    var anonymousId: String?
    var expires: String?
    var signature: String?

    /// The secret a shop's backend signs user tokens with (derived from the workspace secret, shown to admins).
    static func signingSecret(workspaceSecret: String) -> String {
        "sfsec_" + hex(HMAC<SHA256>.authenticationCode(for: Data("ciclo storefront signing".utf8), using: SymmetricKey(data: Data(workspaceSecret.utf8))))
    }

    /// Hex HMAC-SHA256 of `userId.expires` under the storefront secret.
    static func signature(userId: String, expires: Int64, secret: String) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Data("\(userId).\(expires)".utf8), using: SymmetricKey(data: Data(secret.utf8))))
    }

    static func hex(_ mac: HashedAuthenticationCode<SHA256>) -> String { mac.map { String(format: "%02x", $0) }.joined() }

    /// The user id when its signature is right and unexpired; throws 403 otherwise (400 when the proof is missing).
    func verifiedUserId(workspace: Workspace, now: Date) throws -> String {
        guard let userId, !userId.isEmpty, let expiresText = expires, let expires = Int64(expiresText), let signature, !signature.isEmpty else {
            throw CicloError(.forbidden, code: "user_signature_required",
                "A userId needs expires (Unix seconds) and signature (hex HMAC-SHA256 of userId.expires under the storefront signing secret).")
        }
        let expected = Self.signature(userId: userId, expires: expires, secret: Self.signingSecret(workspaceSecret: workspace.secret))
        guard Self.constantTimeEqual(expected, signature.lowercased()) else {
            throw CicloError(.forbidden, code: "invalid_signature", "The signature does not match this user id and expiry for this workspace.")
        }
        guard Double(expires) > now.timeIntervalSince1970 else {
            throw CicloError(.forbidden, code: "signature_expired", "The user token has expired; sign a fresh one.")
        }
        return userId
    }

    /// The profile the request names, or nil when nobody matches. A signed userId wins; an unsigned one counts only
    /// when an anonymousId stands beside it (SDKs send both), and then the anonymousId decides.
    func profile(workspace: Workspace, store: Store, now: Date) async throws -> Int64? {
        var lookups: [Identifier] = []
        if userId != nil, signature != nil || anonymousId == nil {
            if let id = Identifier.normalised(.userId, try verifiedUserId(workspace: workspace, now: now)) { lookups.append(id) }
        }
        if let anonymousId, let id = Identifier.normalised(.anonymousId, anonymousId) { lookups.append(id) }
        for id in lookups {
            if let found = try await store.findProfiles(workspaceId: workspace.id, identifier: id, limit: 1).first { return found.id }
        }
        return nil
    }

    /// True when the request names somebody at all.
    var namesSomebody: Bool { userId != nil || anonymousId != nil }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension StorefrontIdentity {
    /// The ids and proof of a query string.
    init(_ q: QueryParameters) {
        self.init(userId: q.string("userId"), anonymousId: q.string("anonymousId"), expires: q.string("expires"), signature: q.string("signature"))
    }

    /// The ids and proof of a JSON body.
    init(_ body: JSONValue) {
        self.init(userId: body["userId"]?.scalarText, anonymousId: body["anonymousId"]?.scalarText,
                  expires: body["expires"]?.scalarText, signature: body["signature"]?.stringValue)
    }
}
