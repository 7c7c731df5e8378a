import CicloCore
import Foundation
import SQLKit

extension LoyaltyLedger {
    /// Points for an action rule, at most `cap` per period: the period's slots are source keys `2027-06#1`, `#2`, ...,
    /// so the database refuses a second award for a slot however often the job or event repeats.
    @discardableResult
    public func award(_ rule: LoyaltyProgram.ActionRule, profileId: Int64, at: Int64, sourceKey: String? = nil) async throws -> Int? {
        guard rule.points > 0 else { return nil }
        try await lock(profileId)
        let period = sourceKey ?? calendar.periodKey(rule.per, at: at)
        let used = try await sql.raw("""
            SELECT COUNT(*) AS n FROM loyalty_entries WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
            AND kind = 'earn_action' AND rule = \(bind: rule.key) AND source_key LIKE \(bind: period + "#%")
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        guard used < rule.cap,
              let entry = try await append(profileId, kind: "earn_action", points: rule.points, rule: rule.key, sourceKey: "\(period)#\(used + 1)")
        else { return nil }
        try await addLot(profileId, entryId: entry, points: rule.points, at: now, pendingDays: 0)
        let updated = try await refresh(profileId, touching: now)
        try await emit("Points Earned", profileId, ["points": .int(Int64(rule.points)), "source": .string(rule.key), "balance": .int(Int64(updated.balance))],
                       key: "action|\(entry)")
        return rule.points
    }

    /// Qualifying points in the program's rolling window: order earnings less what refunds were due to take back.
    public func qualifyingPoints(_ profileId: Int64) async throws -> Int {
        let since = calendar.adding(days: -program.tierWindowDays, to: now)
        return try await sql.raw("""
            SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'clawback' THEN -COALESCE(due, 0) ELSE points END), 0) AS BIGINT) AS q FROM loyalty_entries
            WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId) AND qualifying AND created_at > \(bind: since)
            """).first()?.decode(column: "q", as: Int.self) ?? 0
    }

    /// The tier qualifying points earn, the rule that applies it: promotion at once; demotion only when a refund voids
    /// the qualification or the term ends; spending never moves a tier; a manual tier holds until its end date.
    /// Returns true when the member's tier changed.
    @discardableResult
    public func reevaluateTier(_ profileId: Int64, afterRefund: Bool, current: LoyaltyAccount? = nil) async throws -> Bool {
        guard !program.tiers.isEmpty else { return false }
        let account = if let current { current } else { try await refresh(profileId) }
        let qualifying = try await qualifyingPoints(profileId)
        let target = program.tiers.last { $0.threshold <= qualifying } ?? program.tiers[0]
        let next = program.tiers.first { $0.threshold > qualifying }
        try await sql.raw("""
            UPDATE profiles SET loyalty_to_next_tier = \(bind: next.map { $0.threshold - qualifying }) WHERE workspace_id = \(bind: workspaceId) AND id = \(bind: profileId)
            """).run()
        let rank = { (key: String?) in program.tiers.firstIndex { $0.key == key } ?? -1 }
        if let manual = account.tierManualUntil, manual > now, account.tier != nil { return false }
        let termEnded = account.tierUntil.map { $0 <= now } ?? true
        let change = rank(target.key) > rank(account.tier) || (rank(target.key) < rank(account.tier) && (afterRefund || termEnded))
        if change || (termEnded && account.tier == target.key) {
            try await setTier(profileId, from: account.tier, to: target.key, manualUntil: nil, announce: change)
        }
        return change
    }

    /// Puts a member in a tier for a new term (manual assignments carry their own end date).
    public func setTier(_ profileId: Int64, from old: String?, to tier: String, manualUntil: Int64?, announce: Bool = true) async throws {
        let until = manualUntil ?? LoyaltyCalendar(timeZone: program.timeZone).adding(months: program.tierTermMonths, to: now)
        try await sql.raw("""
            UPDATE loyalty_accounts SET tier = \(bind: tier), tier_since = \(bind: now), tier_until = \(bind: until), tier_manual_until = \(bind: manualUntil)
            WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
            """).run()
        try await sql.raw("UPDATE profiles SET loyalty_tier = \(bind: tier) WHERE workspace_id = \(bind: workspaceId) AND id = \(bind: profileId)").run()
        guard announce, old != tier else { return }
        try await emit("Tier Changed", profileId, ["from": old.map { .string($0) } ?? .null, "to": .string(tier),
                                                  "direction": .string((program.tiers.firstIndex { $0.key == tier } ?? 0)
                                                                       > (program.tiers.firstIndex { $0.key == old } ?? -1) ? "up" : "down")],
                       key: "tier|\(profileId)|\(tier)")
    }
}
