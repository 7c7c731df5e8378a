import CicloCore
import Foundation
import SQLKit

/// An account whose caches disagree with its ledger.
public struct LoyaltyDiscrepancy: Sendable, Codable, Equatable {
    public var profileId: Int64
    public var cached: [Int]
    public var recomputed: [Int]
    /// True when the entries do not add up to the lots (less the deficit): not a cache problem, `--repair` cannot fix it.
    public var ledgerMismatch: Bool
}

extension Store {
    /// Recomputes every account's balance, pending and lifetime points from its lots and entries in one pass and
    /// reports the differences; with `repair`, rewrites the caches that differ.
    public func verifyLoyalty(workspaceId: Int64, repair: Bool) async throws -> (accounts: Int, discrepancies: [LoyaltyDiscrepancy]) {
        let ws = workspaceId
        let (count, wrong) = try await database.read { session -> (Int, [LoyaltyDiscrepancy]) in
            let count = try await session.sql.raw("SELECT COUNT(*) AS n FROM loyalty_accounts WHERE workspace_id = \(bind: ws)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            let rows = try await session.sql.raw("""
                WITH l AS (SELECT profile_id, CAST(SUM(CASE WHEN NOT pending THEN remaining ELSE 0 END) AS BIGINT) AS avail,
                             CAST(SUM(CASE WHEN pending THEN remaining ELSE 0 END) AS BIGINT) AS pend FROM loyalty_lots WHERE workspace_id = \(bind: ws) GROUP BY profile_id),
                     e AS (SELECT profile_id, CAST(SUM(points) AS BIGINT) AS total,
                             CAST(SUM(CASE WHEN kind IN ('earn_order', 'earn_action', 'earn_referral', 'clawback') THEN points ELSE 0 END) AS BIGINT) AS life
                           FROM loyalty_entries WHERE workspace_id = \(bind: ws) GROUP BY profile_id)
                SELECT a.profile_id, a.balance, a.pending, a.lifetime, COALESCE(l.avail, 0) - a.deficit AS balance_x, COALESCE(l.pend, 0) AS pending_x,
                       COALESCE(e.life, 0) AS lifetime_x, COALESCE(e.total, 0) AS ledger, COALESCE(l.avail, 0) + COALESCE(l.pend, 0) - a.deficit AS lots
                FROM loyalty_accounts a LEFT JOIN l ON l.profile_id = a.profile_id LEFT JOIN e ON e.profile_id = a.profile_id
                WHERE a.workspace_id = \(bind: ws) AND (a.balance <> COALESCE(l.avail, 0) - a.deficit OR a.pending <> COALESCE(l.pend, 0)
                  OR a.lifetime <> COALESCE(e.life, 0) OR COALESCE(e.total, 0) <> COALESCE(l.avail, 0) + COALESCE(l.pend, 0) - a.deficit)
                ORDER BY a.profile_id LIMIT 10000
                """).all()
            return (count, try rows.map { r in
                LoyaltyDiscrepancy(profileId: try r.decode(column: "profile_id", as: Int64.self),
                                   cached: [try r.decode(column: "balance", as: Int.self), try r.decode(column: "pending", as: Int.self),
                                            try r.decode(column: "lifetime", as: Int.self)],
                                   recomputed: [try r.decode(column: "balance_x", as: Int.self), try r.decode(column: "pending_x", as: Int.self),
                                                try r.decode(column: "lifetime_x", as: Int.self)],
                                   ledgerMismatch: try r.decode(column: "ledger", as: Int.self) != (try r.decode(column: "lots", as: Int.self)))
            })
        }
        if repair, !wrong.isEmpty, let program = try await loyaltyProgram(workspaceId: ws) {
            let now = self.now
            for chunk in wrong.map(\.profileId).chunked(into: 2_000) {
                try await database.write { session in
                    let ledger = LoyaltyLedger(session: session, workspaceId: ws, program: program, now: now)
                    try await ledger.refreshAll(chunk)
                    try await session.sql.raw("""
                        UPDATE loyalty_accounts SET lifetime = (SELECT COALESCE(SUM(points), 0) FROM loyalty_entries e
                          WHERE e.workspace_id = loyalty_accounts.workspace_id AND e.profile_id = loyalty_accounts.profile_id
                          AND e.kind IN ('earn_order', 'earn_action', 'earn_referral', 'clawback'))
                        WHERE workspace_id = \(bind: ws) AND profile_id IN (\(binds: chunk))
                        """).run()
                }
            }
        }
        return (count, wrong)
    }
}

extension LoyaltyLedger {
    /// Remembers a member's birthday (`MM-DD`) and since when it is known; a change restarts the notice period.
    public func noteBirthday(_ profileId: Int64, monthDay: String) async throws {
        try await sql.raw("""
            INSERT INTO loyalty_accounts (workspace_id, profile_id, birthday, birthday_since) VALUES (\(bind: workspaceId), \(bind: profileId),
              \(bind: monthDay), \(bind: now))
            ON CONFLICT (workspace_id, profile_id) DO UPDATE SET birthday = excluded.birthday, birthday_since = excluded.birthday_since
            WHERE loyalty_accounts.birthday IS NULL OR loyalty_accounts.birthday <> excluded.birthday
            """).run()
    }
}
