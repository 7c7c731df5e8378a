import CicloCore
import Foundation
import SQLKit

extension Store {
    /// The workspace's loyalty program, or nil while loyalty is off.
    public func loyaltyProgram(workspaceId: Int64) async throws -> LoyaltyProgram? {
        try await database.read { session in try await Self.loyaltyProgram(in: session, workspaceId: workspaceId) }
    }

    static func loyaltyProgram(in session: DatabaseSession, workspaceId: Int64) async throws -> LoyaltyProgram? {
        guard let text = try await session.sql.raw("""
            SELECT CAST(definition AS TEXT) AS d FROM loyalty_programs WHERE workspace_id = \(bind: workspaceId)
            """).first()?.decode(column: "d", as: String.self) else { return nil }
        return try LoyaltyProgram.parse(JSONValue.parse(text))
    }

    /// Validates and stores a program (turning loyalty on); returns it as stored.
    @discardableResult
    public func applyLoyaltyProgram(workspaceId: Int64, _ json: JSONValue) async throws -> LoyaltyProgram {
        let program = try LoyaltyProgram.parse(json)
        let text = program.json.jsonText, now = self.now
        try await database.write { session in
            let value: SQLQueryString = session.dialect == .postgres ? "CAST(\(bind: text) AS JSONB)" : "\(bind: text)"
            try await session.sql.raw("""
                INSERT INTO loyalty_programs (workspace_id, definition, updated_at) VALUES (\(bind: workspaceId), \(value), \(bind: now))
                ON CONFLICT (workspace_id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
                """).run()
        }
        return program
    }

    /// Runs `body` on the workspace's ledger in one transaction; fails with `loyalty_off` when there is no program.
    public func withLedger<T: Sendable>(workspaceId: Int64, _ body: @Sendable (LoyaltyLedger) async throws -> T) async throws -> T {
        let now = self.now
        if dialect == .postgres { try await prepareDerivedEvents() }
        return try await database.write { session in
            guard let program = try await Self.loyaltyProgram(in: session, workspaceId: workspaceId) else {
                throw CicloError(.notFound, code: "loyalty_off", "This workspace has no loyalty program; apply one first.")
            }
            return try await body(LoyaltyLedger(session: session, workspaceId: workspaceId, program: program, now: now))
        }
    }

    /// Adds coupon codes to a reward's pool; codes already known are skipped. Returns how many were added.
    public func importCoupons(workspaceId: Int64, reward: String, codes: [String]) async throws -> Int {
        let clean = Array(Set(codes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0.count <= 100 }))
        guard !clean.isEmpty else { throw CicloError.badRequest("no_codes", "Give at least one coupon code of up to 100 characters.") }
        guard try await loyaltyProgram(workspaceId: workspaceId)?.rewards.contains(where: { $0.key == reward }) == true else {
            throw CicloError(.notFound, code: "unknown_reward", "There is no reward \(reward) in the program.")
        }
        return try await database.write { session in
            var added = 0
            for chunk in clean.chunked(into: 1_000) {
                var query: SQLQueryString = "INSERT INTO loyalty_coupons (workspace_id, reward_key, code) VALUES "
                for (i, code) in chunk.enumerated() { query += (i == 0 ? "" : ", ") + "(\(bind: workspaceId), \(bind: reward), \(bind: code))" }
                query += " ON CONFLICT DO NOTHING RETURNING id"
                added += try await session.sql.raw(query).all().count
            }
            return added
        }
    }

    /// A member's loyalty view: standing, tier progress, lots, the last `historyLimit` entries and the referral code.
    public func loyaltyMember(workspaceId: Int64, profileId: Int64, historyLimit: Int = 50) async throws -> LoyaltyMemberView {
        guard let program = try await loyaltyProgram(workspaceId: workspaceId) else {
            throw CicloError(.notFound, code: "loyalty_off", "This workspace has no loyalty program; apply one first.")
        }
        let now = self.now
        return try await database.read { session in
            let sql = session.sql
            guard let row = try await sql.raw("""
                SELECT \(unsafeRaw: LoyaltyLedger.accountColumns) FROM loyalty_accounts WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
                """).first() else { throw CicloError(.notFound, code: "unknown_member", "Profile \(profileId) has no loyalty account.") }
            var account = try LoyaltyLedger.account(row)
            let lots = try await sql.raw("""
                SELECT id, points, remaining, pending, available_at, expires_at FROM loyalty_lots WHERE workspace_id = \(bind: workspaceId)
                AND profile_id = \(bind: profileId) AND remaining > 0 AND (expires_at IS NULL OR expires_at > \(bind: now)) ORDER BY id
                """).all().map { r in
                LoyaltyLot(id: try r.decode(column: "id", as: Int64.self), points: try r.decode(column: "points", as: Int.self),
                           remaining: try r.decode(column: "remaining", as: Int.self), pending: try r.decode(column: "pending", as: Bool.self),
                           availableAt: try r.decode(column: "available_at", as: Int64.self), expiresAt: try r.decode(column: "expires_at", as: Int64?.self))
            }
            // Lots whose window passed since the last write are shown as they stand now.
            let spendable = lots.filter { !$0.pending || $0.availableAt <= now }
            account.balance = spendable.reduce(0) { $0 + $1.remaining } - account.deficit
            account.pending = lots.filter { $0.pending && $0.availableAt > now }.reduce(0) { $0 + $1.remaining }
            let history = try await sql.raw("""
                SELECT id, kind, points, order_id, rule, source_key, reason, actor, created_at FROM loyalty_entries
                WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId) ORDER BY id DESC LIMIT \(bind: historyLimit)
                """).all().map { r in
                LoyaltyEntry(id: try r.decode(column: "id", as: Int64.self), kind: try r.decode(column: "kind", as: String.self),
                             points: try r.decode(column: "points", as: Int.self), orderId: try r.decode(column: "order_id", as: String?.self),
                             rule: try r.decode(column: "rule", as: String?.self), sourceKey: try r.decode(column: "source_key", as: String?.self),
                             reason: try r.decode(column: "reason", as: String?.self), actor: try r.decode(column: "actor", as: String?.self),
                             createdAt: try r.decode(column: "created_at", as: Int64.self))
            }
            let since = LoyaltyCalendar(timeZone: program.timeZone).adding(days: -program.tierWindowDays, to: now)
            let qualifying = try await sql.raw("""
                SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'clawback' THEN -COALESCE(due, 0) ELSE points END), 0) AS BIGINT) AS q FROM loyalty_entries
                WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId) AND qualifying AND created_at > \(bind: since)
                """).first()?.decode(column: "q", as: Int.self) ?? 0
            let next = program.tiers.first { $0.threshold > qualifying && $0.threshold > (program.tiers.first { $0.key == account.tier }?.threshold ?? -1) }
            let soon = spendable.filter { ($0.expiresAt ?? .max) <= now + 30 * 86_400_000 }
            let code = try await sql.raw("""
                SELECT code FROM referral_codes WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
                """).first()?.decode(column: "code", as: String.self)
            return LoyaltyMemberView(account: account, qualifyingPoints: qualifying, nextTier: next?.key,
                                     pointsToNextTier: next.map { $0.threshold - qualifying }, expiringSoon: soon.reduce(0) { $0 + $1.remaining },
                                     nextExpiry: spendable.compactMap(\.expiresAt).min(), lots: lots, history: history, referralCode: code)
        }
    }
}

extension Store {
    /// The program inside an open transaction, or nil while loyalty is off (for the ingest hook).
    public static func loyaltyProgramIfAny(in session: DatabaseSession, workspaceId: Int64) async throws -> LoyaltyProgram? {
        try await loyaltyProgram(in: session, workspaceId: workspaceId)
    }
}
