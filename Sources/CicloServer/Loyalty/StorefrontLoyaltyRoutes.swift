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
            let workspace = try await store.workspace(id: source.workspaceId)
            let userId = try StorefrontIdentity(QueryParameters(request: request)).verifiedUserId(workspace: workspace, now: environment.clock.now())
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

}
