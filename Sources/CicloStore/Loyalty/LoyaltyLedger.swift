import CicloCore
import Foundation
import SQLKit

/// The points ledger of one workspace inside one transaction. Every write first locks the member's account row
/// (PostgreSQL; SQLite has a single writer), so no two writes to one account interleave, and every award is made
/// idempotent by a unique index rather than a check in code.
public struct LoyaltyLedger: Sendable {
    public let session: DatabaseSession
    public let workspaceId: Int64
    public let program: LoyaltyProgram
    public let now: Int64
    let calendar: LoyaltyCalendar
    /// Work put off until `flush()`, for a ledger that goes through a whole profile batch; nil writes at once.
    let deferrals: LedgerDeferrals?

    public init(session: DatabaseSession, workspaceId: Int64, program: LoyaltyProgram, now: Int64, deferrals: LedgerDeferrals? = nil) {
        (self.session, self.workspaceId, self.program, self.now) = (session, workspaceId, program, now)
        calendar = LoyaltyCalendar(timeZone: program.timeZone)
        self.deferrals = deferrals
    }

    var sql: any SQLDatabase { session.sql }

    /// Creates the account if needed and holds its row lock until the transaction ends; matures due pending lots.
    /// Only a live profile of this workspace gets an account: another workspace's id is not found.
    @discardableResult
    public func lock(_ profileId: Int64) async throws -> LoyaltyAccount {
        let first = deferrals?.open(profileId) ?? true
        // A new member starts in the entry tier; reaching the next one is the ledger's business.
        if first {
            try await sql.raw("""
            INSERT INTO loyalty_accounts (workspace_id, profile_id, tier, tier_since)
            SELECT workspace_id, id, CAST(\(bind: program.tiers.first?.key) AS TEXT), CAST(\(bind: now) AS BIGINT) FROM profiles
            WHERE workspace_id = \(bind: workspaceId) AND id = \(bind: profileId) AND merged_into IS NULL ON CONFLICT DO NOTHING
            """).run()
        }
        let lock = session.dialect == .postgres ? " FOR UPDATE" : ""
        let row = try await sql.raw("""
            SELECT \(unsafeRaw: Self.accountColumns) FROM loyalty_accounts WHERE workspace_id = \(bind: workspaceId)
            AND profile_id = \(bind: profileId)\(unsafeRaw: lock)
            """).first()
        guard let row else { throw CicloError(.notFound, code: "unknown_member", "This workspace has no person with profile id \(profileId).") }
        var account = try Self.account(row)
        if first, try await mature(profileId, deficit: account.deficit) { account = try await refresh(profileId) }
        return account
    }

    static let accountColumns = "profile_id, balance, pending, lifetime, deficit, tier, tier_since, tier_until, tier_manual_until, last_activity_at"

    static func account(_ row: any SQLRow) throws -> LoyaltyAccount {
        LoyaltyAccount(profileId: try row.decode(column: "profile_id", as: Int64.self), balance: try row.decode(column: "balance", as: Int.self),
                       pending: try row.decode(column: "pending", as: Int.self), lifetime: try row.decode(column: "lifetime", as: Int.self),
                       deficit: try row.decode(column: "deficit", as: Int.self), tier: try row.decode(column: "tier", as: String?.self),
                       tierSince: try row.decode(column: "tier_since", as: Int64?.self), tierUntil: try row.decode(column: "tier_until", as: Int64?.self),
                       tierManualUntil: try row.decode(column: "tier_manual_until", as: Int64?.self),
                       lastActivityAt: try row.decode(column: "last_activity_at", as: Int64?.self))
    }

    /// Pending lots whose return window has passed become spendable (repaying any deficit first); true when any did.
    func mature(_ profileId: Int64, deficit: Int) async throws -> Bool {
        let due = try await sql.raw("""
            UPDATE loyalty_lots SET pending = FALSE WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
            AND pending AND \(unsafeRaw: session.dialect.unindexed("available_at")) <= \(bind: now) RETURNING id
            """).all()
        if !due.isEmpty, deficit > 0 { try await repayDeficit(profileId, deficit: deficit) }
        return !due.isEmpty
    }

    /// Takes an outstanding deficit out of spendable lots, soonest expiry first.
    func repayDeficit(_ profileId: Int64, deficit: Int) async throws {
        let lots = try await spendableLots(profileId)
        let take = min(deficit, lots.reduce(0) { $0 + $1.remaining })
        guard take > 0, let plan = PointsLot.spend(take, from: lots) else { return }
        try await consume(plan, entryId: nil)
        try await sql.raw("""
            UPDATE loyalty_accounts SET deficit = deficit - \(bind: take) WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
            """).run()
    }

    /// The lots that can be spent now.
    func spendableLots(_ profileId: Int64) async throws -> [PointsLot] {
        try await sql.raw("""
            SELECT id, remaining, expires_at FROM loyalty_lots WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
            AND NOT pending AND remaining > 0 AND (expires_at IS NULL OR expires_at > \(bind: now))
            """).all().map { PointsLot(id: try $0.decode(column: "id", as: Int64.self), remaining: try $0.decode(column: "remaining", as: Int.self),
                                       expiresAt: try $0.decode(column: "expires_at", as: Int64?.self)) }
    }

    /// Takes points out of lots, recording what an entry took from each (reversals restore from this).
    func consume(_ plan: [(lot: Int64, points: Int)], entryId: Int64?) async throws {
        for use in plan {
            let expiry = try await sql.raw("""
                UPDATE loyalty_lots SET remaining = remaining - \(bind: use.points) WHERE id = \(bind: use.lot) RETURNING expires_at
                """).first()?.decode(column: "expires_at", as: Int64?.self)
            if let entryId {
                try await sql.raw("""
                    INSERT INTO loyalty_lot_uses (entry_id, lot_id, points, expires_at) VALUES (\(bind: entryId), \(bind: use.lot), \(bind: use.points), \(bind: expiry))
                    """).run()
            }
        }
    }

    /// Adds a lot for an entry: pending for `pendingDays` from `at`, expiring per the program from when it is spendable.
    func addLot(_ profileId: Int64, entryId: Int64, points: Int, at: Int64, pendingDays: Int, expiresAt: Int64?? = nil) async throws {
        let availableAt = pendingDays > 0 ? calendar.adding(days: pendingDays, to: at) : at
        let expiry: Int64? = expiresAt ?? program.expiryDays.map { calendar.endOfDay(availableAt, plusDays: $0) }
        let pending = availableAt > now
        try await sql.raw("""
            INSERT INTO loyalty_lots (workspace_id, profile_id, entry_id, points, remaining, pending, available_at, expires_at)
            VALUES (\(bind: workspaceId), \(bind: profileId), \(bind: entryId), \(bind: points), \(bind: points), \(bind: pending), \(bind: availableAt), \(bind: expiry))
            """).run()
    }

    /// Rewrites the account's caches from its lots and entries, and returns it; with `touching`, also moves the last
    /// activity forward to it in the same statement (what `touch` does on its own).
    @discardableResult
    func refresh(_ profileId: Int64, touching: Int64? = nil) async throws -> LoyaltyAccount {
        let (ws, p) = (workspaceId, profileId)
        var activity: SQLQueryString = ""
        if let at = touching {
            activity = """
                last_activity_at = CASE WHEN last_activity_at IS NULL OR last_activity_at < \(bind: at) THEN \(bind: at)
                  ELSE last_activity_at END,
                """
        }
        let row = try await sql.raw("""
            UPDATE loyalty_accounts SET \(activity)
              balance = (SELECT COALESCE(SUM(remaining), 0) FROM loyalty_lots l WHERE l.workspace_id = \(bind: ws) AND l.profile_id = \(bind: p) AND NOT l.pending) - deficit,
              pending = (SELECT COALESCE(SUM(remaining), 0) FROM loyalty_lots l WHERE l.workspace_id = \(bind: ws) AND l.profile_id = \(bind: p) AND l.pending),
              lifetime = (SELECT COALESCE(SUM(points), 0) FROM loyalty_entries e WHERE e.workspace_id = \(bind: ws) AND e.profile_id = \(bind: p)
                          AND e.kind IN ('earn_order', 'earn_action', 'earn_referral', 'clawback'))
            WHERE workspace_id = \(bind: ws) AND profile_id = \(bind: p) RETURNING \(unsafeRaw: Self.accountColumns)
            """).first()
        guard let row else { throw CicloError(.notFound, code: "unknown_member", "No loyalty account for profile \(profileId).") }
        if let deferrals { deferrals.mirror(profileId) } else { try await mirror([profileId]) }
        return try Self.account(row)
    }

    /// Copies members' standing onto their profiles, where segments and templates read it.
    func mirror(_ ids: [Int64]) async throws {
        let soon = now + 30 * 86_400_000
        try await sql.raw("""
            UPDATE profiles SET
              loyalty_balance = (SELECT a.balance FROM loyalty_accounts a WHERE a.workspace_id = profiles.workspace_id AND a.profile_id = profiles.id),
              loyalty_tier = (SELECT a.tier FROM loyalty_accounts a WHERE a.workspace_id = profiles.workspace_id AND a.profile_id = profiles.id),
              loyalty_lifetime = (SELECT a.lifetime FROM loyalty_accounts a WHERE a.workspace_id = profiles.workspace_id AND a.profile_id = profiles.id),
              loyalty_expiring = (SELECT COALESCE(SUM(l.remaining), 0) FROM loyalty_lots l WHERE l.workspace_id = profiles.workspace_id
                AND l.profile_id = profiles.id AND NOT l.pending AND l.remaining > 0 AND l.expires_at > \(bind: now) AND l.expires_at <= \(bind: soon))
            WHERE workspace_id = \(bind: workspaceId) AND id IN (\(binds: ids))
            """).run()
    }



    func touch(_ profileId: Int64, at: Int64) async throws {
        try await sql.raw("""
            UPDATE loyalty_accounts SET last_activity_at = \(bind: at) WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
            AND (last_activity_at IS NULL OR last_activity_at < \(bind: at))
            """).run()
    }

    /// Appends an entry unless a unique index says it exists already; its id, or nil for a repeat.
    func append(_ profileId: Int64, kind: String, points: Int, due: Int? = nil, qualifying: Bool = false, orderId: String? = nil,
                eligible: Double? = nil, rule: String? = nil, sourceKey: String? = nil, idempotencyKey: String? = nil,
                reverses: Int64? = nil, lotId: Int64? = nil, reason: String? = nil, actor: String? = nil, at: Int64? = nil) async throws -> Int64? {
        try await sql.raw("""
            INSERT INTO loyalty_entries (workspace_id, profile_id, kind, points, due, qualifying, order_id, eligible_amount, rule, source_key,
              idempotency_key, reverses, lot_id, reason, actor, created_at)
            VALUES (\(bind: workspaceId), \(bind: profileId), \(bind: kind), \(bind: points), \(bind: due), \(bind: qualifying), \(bind: orderId),
              \(bind: eligible), \(bind: rule), \(bind: sourceKey), \(bind: idempotencyKey), \(bind: reverses), \(bind: lotId), \(bind: reason),
              \(bind: actor), \(bind: min(at ?? now, now)))
            ON CONFLICT DO NOTHING RETURNING id
            """).first()?.decode(column: "id", as: Int64.self)
    }

    /// Records a loyalty event on the person's timeline.
    func emit(_ name: String, _ profileId: Int64, _ properties: [String: JSONValue], key: String) async throws {
        let event = Event.derived(name, workspaceId: workspaceId, profileId: profileId, properties: properties, at: now, key: key)
        if let deferrals { deferrals.emit(event) } else { _ = try await EventLogWriter(session: session).append([event]) }
    }
}
