import CicloCore
import Foundation
import SQLKit

extension LoyaltyLedger {
    /// Matures the due pending lots of many accounts (already locked), repays deficits, refreshes their caches.
    func matureAll(_ ids: [Int64]) async throws -> Int {
        let matured = try await sql.raw("""
            UPDATE loyalty_lots SET pending = FALSE WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: ids))
            AND pending AND \(unsafeRaw: session.dialect.unindexed("available_at")) <= \(bind: now) RETURNING remaining
            """).all().count { (try? $0.decode(column: "remaining", as: Int.self)) ?? 0 > 0 }
        let inDeficit = try await sql.raw("""
            SELECT profile_id, deficit FROM loyalty_accounts WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: ids)) AND deficit > 0
            """).all()
        for row in inDeficit {
            try await repayDeficit(try row.decode(column: "profile_id", as: Int64.self), deficit: try row.decode(column: "deficit", as: Int.self))
        }
        try await refreshAll(ids)
        return matured
    }

    /// Expires lots of many accounts (already locked): those past their expiry, or every spendable one for inactivity.
    /// One `expire` entry per lot, guarded by a unique index, so a second run adds nothing. Returns the points expired.
    func expireLots(_ ids: [Int64], reason: String, allSpendable: Bool = false) async throws -> Int {
        // The chunk's accounts are the access path (the expiry index would scan every due lot of the workspace per chunk).
        let expires = session.dialect.unindexed("expires_at")
        let due: SQLQueryString = allSpendable ? "(\(unsafeRaw: expires) IS NULL OR \(unsafeRaw: expires) > \(bind: now) OR \(unsafeRaw: expires) <= \(bind: now))"
            : "\(unsafeRaw: expires) <= \(bind: now)"
        let scope: SQLQueryString = "workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: ids)) AND remaining > 0 AND NOT pending AND " + due
        let perMember = try await sql.raw("SELECT profile_id, CAST(SUM(remaining) AS BIGINT) AS points, MIN(expires_at) AS first FROM loyalty_lots WHERE " + scope
            + " GROUP BY profile_id").all().map { (try $0.decode(column: "profile_id", as: Int64.self), try $0.decode(column: "points", as: Int.self)) }
        guard !perMember.isEmpty else { return 0 }
        try await sql.raw("""
            INSERT INTO loyalty_entries (workspace_id, profile_id, kind, points, lot_id, reason, created_at)
            SELECT workspace_id, profile_id, 'expire', -remaining, id, \(bind: reason), \(bind: now) FROM loyalty_lots WHERE
            """ + " " + scope + " ON CONFLICT DO NOTHING").run()
        try await sql.raw("UPDATE loyalty_lots SET remaining = 0 WHERE " + scope).run()
        try await refreshAll(ids)
        _ = try await EventLogWriter(session: session).append(perMember.map { profile, points in
            Event.derived("Points Expired", workspaceId: workspaceId, profileId: profile,
                          properties: ["points": .int(Int64(points)), "reason": .string(reason)], at: now, key: "expired|\(profile)")
        })
        return perMember.reduce(0) { $0 + $1.1 }
    }

    /// `Points Expiring` once per lot and horizon (30 days, then 3), summed per member.
    func warnExpiring(withinDays days: Int) async throws -> Int {
        let horizon = now + Int64(days) * 86_400_000
        let earlier: SQLQueryString = days == 3 ? "(warned = 0 OR warned > 3)" : "warned = 0 AND expires_at > \(bind: now + 3 * 86_400_000)"
        let scope: SQLQueryString = "workspace_id = \(bind: workspaceId) AND remaining > 0 AND NOT pending AND expires_at > \(bind: now) "
            + "AND expires_at <= \(bind: horizon) AND " + earlier
        let rows = try await sql.raw("SELECT profile_id, CAST(SUM(remaining) AS BIGINT) AS points, MIN(expires_at) AS first FROM loyalty_lots WHERE " + scope
            + " GROUP BY profile_id").all()
        guard !rows.isEmpty else { return 0 }
        let events = try rows.map { row in
            let profile = try row.decode(column: "profile_id", as: Int64.self), first = try row.decode(column: "first", as: Int64.self)
            return Event.derived("Points Expiring", workspaceId: workspaceId, profileId: profile,
                                 properties: ["points": .int(Int64(try row.decode(column: "points", as: Int.self))), "days": .int(Int64(days)),
                                              "expires_at": .string(ISO8601.format(Date(epochMilliseconds: first)))],
                                 at: now, key: "expiring|\(profile)|\(days)|\(first)")
        }
        for chunk in events.chunked(into: 2_000) { _ = try await EventLogWriter(session: session).append(chunk) }
        try await sql.raw("UPDATE loyalty_lots SET warned = \(bind: days) WHERE " + scope).run()
        return rows.count
    }

    /// At term end a tier is recomputed from qualifying points; true when it changed.
    func reviewTierAtTermEnd(_ profileId: Int64) async throws -> Bool {
        // One refresh: the review works from the account it returns and says whether the tier moved.
        try await reevaluateTier(profileId, afterRefund: false, current: try await refresh(profileId))
    }

    /// Rewrites the caches of many accounts in one statement.
    func refreshAll(_ ids: [Int64]) async throws {
        try await sql.raw("""
            UPDATE loyalty_accounts SET
              balance = (SELECT COALESCE(SUM(remaining), 0) FROM loyalty_lots l WHERE l.workspace_id = loyalty_accounts.workspace_id
                         AND l.profile_id = loyalty_accounts.profile_id AND NOT l.pending) - deficit,
              pending = (SELECT COALESCE(SUM(remaining), 0) FROM loyalty_lots l WHERE l.workspace_id = loyalty_accounts.workspace_id
                         AND l.profile_id = loyalty_accounts.profile_id AND l.pending)
            WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: ids))
            """).run()
        try await mirror(ids)
    }
}
