import CicloCore
import Foundation
import SQLKit

extension LoyaltyLedger {
    /// Spends points on a reward (or plain points when `reward` is nil) under an idempotency key: the same key returns
    /// the first answer and writes nothing; not enough spendable points throws `InsufficientPoints`.
    public func redeem(profileId: Int64, reward rewardKey: String?, points requested: Int?, idempotencyKey: String,
                       orderTotal: Double? = nil) async throws -> LoyaltyRedemption {
        guard !idempotencyKey.isEmpty, idempotencyKey.count <= 200 else {
            throw CicloError.badRequest("invalid_idempotency_key", "An Idempotency-Key header of 1 to 200 characters is required.")
        }
        let reward = try rewardKey.map { key in
            guard let r = program.rewards.first(where: { $0.key == key }) else {
                throw CicloError(.notFound, code: "unknown_reward", "There is no reward \(key) in the program.")
            }
            return r
        }
        guard reward != nil || requested != nil else { throw CicloError.badRequest("missing_reward", "Name a reward or a number of points.") }
        if let requested, reward == nil, requested <= 0 { throw CicloError.badRequest("invalid_points", "Points to redeem are a whole number above 0.") }
        let account = try await lock(profileId)
        if let earlier = try await replay(idempotencyKey, profileId: profileId, balance: account.balance) { return earlier }
        let cost = reward?.cost ?? requested ?? 0
        if let reward { try await checkLimits(reward, profileId: profileId) }
        if let reward, let share = reward.maxOrderShare, reward.kind == .amountOff {
            guard let orderTotal, orderTotal > 0 else {
                throw CicloError.badRequest("missing_order_total", "\(reward.name) may pay at most \(Int(share * 100))% of an order: give the order total.")
            }
            guard reward.value <= orderTotal * share + 1e-9 else {
                throw CicloError(.conflict, code: "order_share_exceeded",
                                 "\(reward.name) would pay more than \(Int(share * 100))% of this order; the order must be at least \(String(format: "%.2f", reward.value / share)).")
            }
        }
        let lots = try await spendableLots(profileId)
        let available = max(0, lots.reduce(0) { $0 + $1.remaining } - account.deficit)
        guard cost <= available, let plan = PointsLot.spend(cost, from: lots) else { throw InsufficientPoints(needed: cost, available: available) }
        guard let entry = try await append(profileId, kind: "redeem", points: -cost, rule: reward?.key, idempotencyKey: idempotencyKey) else {
            throw CicloError(.conflict, code: "idempotency_key_reused", "This Idempotency-Key was used by another request.")
        }
        try await consume(plan, entryId: entry)
        var coupon: String?
        if let reward { coupon = try await assignCoupon(reward, profileId: profileId, entryId: entry) }
        try await touch(profileId, at: now)
        let updated = try await refresh(profileId)
        try await emit("Points Redeemed", profileId, ["points": .int(Int64(cost)), "balance": .int(Int64(updated.balance))], key: "redeem|\(entry)")
        if let reward {
            try await emit("Reward Redeemed", profileId, ["reward": .string(reward.key), "reward_name": .string(reward.name), "points": .int(Int64(cost)),
                                                         "coupon": coupon.map { JSONValue.string($0) } ?? .null], key: "reward|\(entry)")
        }
        return LoyaltyRedemption(entryId: entry, points: cost, reward: reward?.key, coupon: coupon, balance: updated.balance, replayed: false)
    }

    func replay(_ key: String, profileId: Int64, balance: Int) async throws -> LoyaltyRedemption? {
        guard let row = try await sql.raw("""
            SELECT e.id, e.profile_id, e.kind, e.points, e.rule, c.code FROM loyalty_entries e LEFT JOIN loyalty_coupons c ON c.entry_id = e.id
            WHERE e.workspace_id = \(bind: workspaceId) AND e.idempotency_key = \(bind: key)
            """).first() else { return nil }
        guard try row.decode(column: "profile_id", as: Int64.self) == profileId, try row.decode(column: "kind", as: String.self) == "redeem" else {
            throw CicloError(.conflict, code: "idempotency_key_reused", "This Idempotency-Key was used by another request.")
        }
        return LoyaltyRedemption(entryId: try row.decode(column: "id", as: Int64.self), points: -(try row.decode(column: "points", as: Int.self)),
                                 reward: try row.decode(column: "rule", as: String?.self), coupon: try row.decode(column: "code", as: String?.self),
                                 balance: balance, replayed: true)
    }

    func checkLimits(_ reward: LoyaltyProgram.Reward, profileId: Int64) async throws {
        guard reward.globalLimit != nil || reward.perCustomerLimit != nil else { return }
        let row = try await sql.raw("""
            SELECT COUNT(*) AS total, CAST(SUM(CASE WHEN e.profile_id = \(bind: profileId) THEN 1 ELSE 0 END) AS BIGINT) AS mine FROM loyalty_entries e
            WHERE e.workspace_id = \(bind: workspaceId) AND e.kind = 'redeem' AND e.rule = \(bind: reward.key)
            AND NOT EXISTS (SELECT 1 FROM loyalty_entries r WHERE r.workspace_id = e.workspace_id AND r.kind = 'redeem_reversal' AND r.reverses = e.id)
            """).first()
        let total = try row?.decode(column: "total", as: Int.self) ?? 0, mine = try row?.decode(column: "mine", as: Int?.self) ?? 0
        if let limit = reward.globalLimit, total >= limit {
            throw CicloError(.conflict, code: "reward_limit_reached", "\(reward.name) has been redeemed its \(limit) times.")
        }
        if let limit = reward.perCustomerLimit, mine >= limit {
            throw CicloError(.conflict, code: "reward_limit_reached", "This member has redeemed \(reward.name) \(limit) times already.")
        }
    }

    /// A code from the reward's imported pool, or a generated one when the reward has no pool.
    func assignCoupon(_ reward: LoyaltyProgram.Reward, profileId: Int64, entryId: Int64) async throws -> String {
        let skip = session.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        if let code = try await sql.raw("""
            UPDATE loyalty_coupons SET profile_id = \(bind: profileId), entry_id = \(bind: entryId), assigned_at = \(bind: now)
            WHERE profile_id IS NULL AND id = (SELECT id FROM loyalty_coupons WHERE workspace_id = \(bind: workspaceId)
              AND reward_key = \(bind: reward.key) AND profile_id IS NULL ORDER BY id LIMIT 1\(unsafeRaw: skip))
            RETURNING code
            """).first()?.decode(column: "code", as: String.self) {
            return code
        }
        let pooled = try await sql.raw("""
            SELECT COUNT(*) AS n FROM loyalty_coupons WHERE workspace_id = \(bind: workspaceId) AND reward_key = \(bind: reward.key)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        guard pooled == 0 else { throw CicloError(.conflict, code: "reward_out_of_stock", "Every code for \(reward.name) has been given out.") }
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var code = ""
        var rng = SystemRandomNumberGenerator()
        for i in 0..<12 { code.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]); if i % 4 == 3, i < 11 { code.append("-") } }
        try await sql.raw("""
            INSERT INTO loyalty_coupons (workspace_id, reward_key, code, profile_id, entry_id, assigned_at)
            VALUES (\(bind: workspaceId), \(bind: reward.key), \(bind: code), \(bind: profileId), \(bind: entryId), \(bind: now))
            """).run()
        return code
    }

    /// Gives a redemption's points back once, as a lot expiring with the earliest of the lots it consumed; not qualifying.
    public func reverse(redemption entryId: Int64, reason: String?, actor: String?) async throws -> Int {
        guard let row = try await sql.raw("""
            SELECT profile_id, points FROM loyalty_entries WHERE id = \(bind: entryId) AND workspace_id = \(bind: workspaceId) AND kind = 'redeem'
            """).first() else { throw CicloError(.notFound, code: "unknown_redemption", "There is no redemption \(entryId).") }
        let profileId = try row.decode(column: "profile_id", as: Int64.self), points = -(try row.decode(column: "points", as: Int.self))
        try await lock(profileId)
        guard let entry = try await append(profileId, kind: "redeem_reversal", points: points, reverses: entryId, reason: reason, actor: actor)
        else { return try await refresh(profileId).balance }
        let expiry = try await sql.raw("""
            SELECT MIN(expires_at) AS e, SUM(CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END) AS forever, COUNT(*) AS n
            FROM loyalty_lot_uses WHERE entry_id = \(bind: entryId)
            """).first()
        let earliest = try expiry?.decode(column: "e", as: Int64?.self)
        try await addLot(profileId, entryId: entry, points: points, at: now, pendingDays: 0, expiresAt: .some(earliest))
        try await sql.raw("UPDATE loyalty_coupons SET entry_id = NULL WHERE entry_id = \(bind: entryId)").run()
        let updated = try await refresh(profileId)
        try await emit("Points Earned", profileId, ["points": .int(Int64(points)), "source": "redeem_reversal", "balance": .int(Int64(updated.balance))],
                       key: "reversal|\(entry)")
        return updated.balance
    }

    /// A manual adjustment with its reason and actor: positive adds a lot, negative takes points back per the program's policy.
    /// A positive adjustment may carry its own expiry (`.some(nil)`: never), such as bonus points good until a date.
    public func adjust(profileId: Int64, points: Int, reason: String, actor: String, idempotencyKey: String?,
                       expiresAt: Int64?? = nil) async throws -> LoyaltyAccount {
        guard points != 0 else { throw CicloError.badRequest("invalid_points", "An adjustment is a whole number of points other than 0.") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CicloError.badRequest("missing_reason", "An adjustment needs a reason.") }
        try await lock(profileId)
        guard let entry = try await append(profileId, kind: "adjust", points: points, idempotencyKey: idempotencyKey, reason: reason, actor: actor)
        else { return try await refresh(profileId) }
        if points > 0 {
            try await addLot(profileId, entryId: entry, points: points, at: now, pendingDays: 0, expiresAt: expiresAt)
        } else {
            let taken = try await takeBack(-points, from: profileId, entryId: entry, preferringEntry: nil)
            try await sql.raw("UPDATE loyalty_entries SET points = \(bind: -taken), due = \(bind: -points) WHERE id = \(bind: entry)").run()
        }
        try await touch(profileId, at: now)
        return try await refresh(profileId)
    }
}
