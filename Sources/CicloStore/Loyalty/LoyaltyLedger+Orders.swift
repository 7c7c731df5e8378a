import CicloCore
import Foundation
import SQLKit

/// What an order's earn looked like, for refunds.
public struct OrderEarn: Sendable, Equatable {
    public var entryId: Int64
    public var profileId: Int64
    public var points: Int
    public var eligible: Double
}

extension LoyaltyLedger {
    /// Awards an order's points once per (member, order); nil when the order earned already or earns nothing.
    @discardableResult
    public func earn(order orderId: String, properties: JSONValue, profileId: Int64, at: Int64) async throws -> Int? {
        let account = try await lock(profileId)
        let (eligible, points) = program.orderPoints(properties, tier: account.tier)
        guard points > 0 else { return nil }
        // Dated by the order, so a backfill of old orders counts toward tiers in the window they fell in.
        guard let entry = try await append(profileId, kind: "earn_order", points: points, qualifying: true, orderId: orderId, eligible: eligible, at: at)
        else { return nil }
        try await addLot(profileId, entryId: entry, points: points, at: min(at, now), pendingDays: program.pendingDays)
        if account.deficit > 0 { try await repayDeficit(profileId, deficit: account.deficit) }
        let updated = try await refresh(profileId, touching: min(at, now))
        try await emit("Points Earned", profileId, ["points": .int(Int64(points)), "order_id": .string(orderId), "source": "order",
                                                   "balance": .int(Int64(updated.balance)), "pending": .int(Int64(updated.pending))],
                       key: "earn|\(entry)")
        try await reevaluateTier(profileId, afterRefund: false, current: updated)
        return points
    }

    /// The earn entry of an order, whoever holds it.
    public func orderEarn(_ orderId: String) async throws -> OrderEarn? {
        try await sql.raw("""
            SELECT id, profile_id, points, eligible_amount FROM loyalty_entries WHERE workspace_id = \(bind: workspaceId)
            AND order_id = \(bind: orderId) AND kind = 'earn_order'
            """).first().map { row in
            OrderEarn(entryId: try row.decode(column: "id", as: Int64.self), profileId: try row.decode(column: "profile_id", as: Int64.self),
                      points: try row.decode(column: "points", as: Int.self), eligible: try row.decode(column: "eligible_amount", as: Double?.self) ?? 0)
        }
    }

    /// Takes back points for a refund of `amount` (the whole rest of the order when nil), cumulative and proportional,
    /// never more than the order earned; `refundKey` makes a replayed refund a no-op. Returns the points due, or nil for
    /// a repeat; throws `unknown_order` when the order never earned.
    @discardableResult
    public func clawback(order orderId: String, refundKey: String, amount: Double?) async throws -> Int? {
        guard let earn = try await orderEarn(orderId) else {
            throw CicloError(.notFound, code: "unknown_order", "Order \(orderId) earned no points, so there is nothing to take back.")
        }
        if let amount, !(amount.isFinite && amount > 0) {
            throw CicloError.badRequest("invalid_amount", "A refund amount is a positive number.")
        }
        try await lock(earn.profileId)
        let prior = try await sql.raw("""
            SELECT COALESCE(SUM(eligible_amount), 0) AS refunded, CAST(COALESCE(SUM(due), 0) AS BIGINT) AS clawed FROM loyalty_entries
            WHERE workspace_id = \(bind: workspaceId) AND order_id = \(bind: orderId) AND kind = 'clawback'
            """).first()
        let refunded = try prior?.decode(column: "refunded", as: Double.self) ?? 0
        let clawed = try prior?.decode(column: "clawed", as: Int.self) ?? 0
        let refundAmount = min(amount ?? max(0, earn.eligible - refunded), max(0, earn.eligible - refunded))
        let due = program.clawback(earned: earn.points, eligible: earn.eligible, refundedSoFar: refunded, refundedAmount: refundAmount,
                                   clawedSoFar: clawed)
        guard let entry = try await append(earn.profileId, kind: "clawback", points: 0, due: due, qualifying: true, orderId: orderId,
                                           eligible: refundAmount, sourceKey: refundKey) else { return nil }
        let taken = try await takeBack(due, from: earn.profileId, entryId: entry, preferringEntry: earn.entryId)
        try await sql.raw("UPDATE loyalty_entries SET points = \(bind: -taken) WHERE id = \(bind: entry)").run()
        let updated = try await refresh(earn.profileId)
        if due > 0 {
            try await emit("Points Clawed Back", earn.profileId, ["points": .int(Int64(taken)), "due": .int(Int64(due)), "order_id": .string(orderId),
                                                                  "balance": .int(Int64(updated.balance))], key: "clawback|\(entry)")
        }
        try await reevaluateTier(earn.profileId, afterRefund: true, current: updated)
        return due
    }

    /// Removes `points` from a member: first from the lot of `preferringEntry` (pending or not), then spendable lots by
    /// spending order; what is still missing becomes a deficit or is forgiven, per the program. Returns what was taken.
    func takeBack(_ points: Int, from profileId: Int64, entryId: Int64, preferringEntry: Int64?) async throws -> Int {
        guard points > 0 else { return 0 }
        var left = points
        if let preferringEntry, let own = try await sql.raw("""
            SELECT id, remaining FROM loyalty_lots WHERE entry_id = \(bind: preferringEntry) AND remaining > 0
            """).first() {
            let take = min(left, try own.decode(column: "remaining", as: Int.self))
            try await consume([(try own.decode(column: "id", as: Int64.self), take)], entryId: entryId)
            left -= take
        }
        if left > 0 {
            let lots = try await spendableLots(profileId)
            let available = lots.reduce(0) { $0 + $1.remaining }
            let take = min(left, available)
            if take > 0, let plan = PointsLot.spend(take, from: lots) { try await consume(plan, entryId: entryId) }
            left -= take
        }
        guard left > 0 else { return points }
        switch program.negativePolicy {
        case .clampAtZero:
            return points - left
        case .allowDeficit:
            try await sql.raw("""
                UPDATE loyalty_accounts SET deficit = deficit + \(bind: left) WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
                """).run()
            return points
        }
    }
}
