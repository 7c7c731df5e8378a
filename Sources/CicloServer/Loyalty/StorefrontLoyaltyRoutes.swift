import CicloCore
import CicloEngine
import CicloStore
import Crypto
import Foundation
import Hummingbird

/// `/v1/loyalty/member` for a shop's loyalty widget, with the write key. The member is named by their user id plus an
/// HMAC of it signed with the workspace's storefront secret and an expiry, so nobody can read another member by
/// guessing a user id.
struct StorefrontLoyaltyRoutes {
    let environment: ServerEnvironment

    /// The secret a shop's backend signs member tokens with (derived from the workspace secret, shown to admins).
    static func signingSecret(workspaceSecret: String) -> String {
        "sfsec_" + HMAC<SHA256>.authenticationCode(for: Data("ciclo storefront signing".utf8), using: SymmetricKey(data: Data(workspaceSecret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Hex HMAC-SHA256 of `userId.expires` under the storefront secret.
    static func signature(userId: String, expires: Int64, secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("\(userId).\(expires)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    func register(on router: Router<CicloRequestContext>) {
        let store = environment.store
        let group = router.group("v1").add(middleware: CORSMiddleware(
            allowOrigin: .originBased, allowHeaders: [.accept, .authorization, .contentType, .origin], allowMethods: [.get, .options]))
        group.get("loyalty/member") { request, _ in
            var key = WriteKeyAuthentication.writeKey(request, body: [:])
            if key == nil { key = QueryParameters(request: request).string("writeKey") }
            guard let key, let source = try await environment.credentials.source(writeKey: key) else {
                throw CicloError(.unauthorized, code: "unauthorized", "Send a valid write key (Basic auth or ?writeKey=).")
            }
            let q = QueryParameters(request: request)
            guard let userId = q.string("userId"), !userId.isEmpty, let expires = q.string("expires").flatMap(Int64.init),
                  let signature = q.string("signature") else {
                throw CicloError.badRequest("missing_parameter", "userId, expires (Unix seconds) and signature are required.")
            }
            let workspace = try await store.workspace(id: source.workspaceId)
            let expected = Self.signature(userId: userId, expires: expires, secret: Self.signingSecret(workspaceSecret: workspace.secret))
            guard Self.constantTimeEqual(expected, signature.lowercased()) else {
                throw CicloError(.forbidden, code: "invalid_signature", "The signature does not match this user id and expiry for this workspace.")
            }
            guard Double(expires) > environment.clock.now().timeIntervalSince1970 else {
                throw CicloError(.forbidden, code: "signature_expired", "The member token has expired; sign a fresh one.")
            }
            guard let id = Identifier.normalised(.userId, userId),
                  let profile = try await store.findProfiles(workspaceId: workspace.id, identifier: id, limit: 1).first?.id else {
                throw CicloError(.notFound, code: "unknown_member", "No profile has this user id yet.")
            }
            let (program, code) = try await store.withLedger(workspaceId: workspace.id) { ledger in
                try await ledger.lock(profile)
                return (ledger.program, try await ledger.referralCode(for: profile))
            }
            let view = try await store.loyaltyMember(workspaceId: workspace.id, profileId: profile, historyLimit: 10)
            let tier = program.tiers.first { $0.key == view.account.tier }
            return JSONResponse.make([
                "balance": .int(Int64(view.account.balance)), "pending": .int(Int64(view.account.pending)),
                "tier": tier.map { .string($0.key) } ?? .null, "tierName": tier.map { .string($0.name) } ?? .null,
                "nextTier": view.nextTier.map { .string($0) } ?? .null, "pointsToNextTier": view.pointsToNextTier.map { .int(Int64($0)) } ?? .null,
                "expiringSoon": .int(Int64(view.expiringSoon)),
                "rewards": .array(program.rewards.map { r in
                    ["key": .string(r.key), "name": .string(r.name), "cost": .int(Int64(r.cost)), "kind": .string(r.kind.rawValue),
                     "value": .double(r.value), "affordable": .bool(view.account.balance >= r.cost)]
                }),
                "referral": ["code": .string(code), "parameter": "ref"],
            ] as JSONValue)
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
