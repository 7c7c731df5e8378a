import CicloCore
import Foundation
import SQLKit

/// What one run of the nightly loyalty jobs did.
public struct LoyaltyJobReport: Sendable, Codable, Equatable {
    public var matured = 0
    public var expiredLots = 0
    public var expiredPoints = 0
    public var warned = 0
    public var inactive = 0
    public var tiersReviewed = 0
    public var tiersChanged = 0
    public var birthdays = 0
    public var referralsCompleted = 0
    public init() {}
}

extension Store {
    /// The nightly jobs, each idempotent (running twice adds nothing): pending lots mature, lots expire at the end of
    /// their day, expiry warnings 30 and 3 days ahead, inactivity expiry, tiers at term end, birthday awards, referrals.
    public func runLoyaltyJobs(workspaceId: Int64) async throws -> LoyaltyJobReport {
        guard let program = try await loyaltyProgram(workspaceId: workspaceId) else { return LoyaltyJobReport() }
        try await prepareDerivedEvents()
        var report = LoyaltyJobReport()
        let now = self.now
        let ws = workspaceId
        report.matured = try await inAccountChunks(ws, program, """
            SELECT DISTINCT profile_id FROM loyalty_lots WHERE workspace_id = \(ws) AND pending AND available_at <= \(now)
            """) { ledger, ids in try await ledger.matureAll(ids) }
        report.expiredPoints = try await inAccountChunks(ws, program, """
            SELECT DISTINCT profile_id FROM loyalty_lots WHERE workspace_id = \(ws) AND remaining > 0 AND NOT pending AND expires_at <= \(now)
            """) { ledger, ids in try await ledger.expireLots(ids, reason: "expiry") }
        for horizon in [30, 3] {
            let days = horizon
            report.warned += try await database.write(priority: .background) { session in
                try await LoyaltyLedger(session: session, workspaceId: ws, program: program, now: now).warnExpiring(withinDays: days)
            }
        }
        if let months = program.inactivityMonths {
            let calendar = LoyaltyCalendar(timeZone: program.timeZone)
            // Counted from the day the rule was switched on, never retroactively.
            if now >= calendar.adding(months: months, to: program.inactivitySince ?? 0) {
                let cutoff = calendar.adding(months: -months, to: now)
                report.inactive = try await inAccountChunks(ws, program, """
                    SELECT profile_id FROM loyalty_accounts WHERE workspace_id = \(ws) AND balance > 0 AND COALESCE(last_activity_at, 0) <= \(cutoff)
                    """) { ledger, ids in try await ledger.expireLots(ids, reason: "inactivity", allSpendable: true) }
            }
        }
        let tiers = try await inAccountChunks(ws, program, """
            SELECT profile_id FROM loyalty_accounts WHERE workspace_id = \(ws) AND tier_until <= \(now)
            AND (tier_manual_until IS NULL OR tier_manual_until <= \(now))
            """) { ledger, ids in
            var changed = 0
            for id in ids { changed += try await ledger.reviewTierAtTermEnd(id) ? 1 : 0 }
            return changed
        }
        report.tiersChanged = tiers
        report.birthdays = try await awardBirthdays(ws, program, now)
        report.referralsCompleted = try await completeDueReferrals(workspaceId: ws)
        return report
    }

    /// Runs `body` over the accounts a query selects, a few thousand per transaction, each chunk's rows locked first.
    /// The query holds only integers from this process, never user input.
    func inAccountChunks(_ ws: Int64, _ program: LoyaltyProgram, _ select: String,
                         _ body: @Sendable @escaping (LoyaltyLedger, [Int64]) async throws -> Int) async throws -> Int {
        let ids = try await database.read { session in
            try await session.sql.raw("\(unsafeRaw: select)").all().map { try $0.decode(column: "profile_id", as: Int64.self) }
        }
        var total = 0
        let now = self.now
        @Sendable func run(_ chunk: [Int64]) async throws -> Int {
            try await database.write(priority: .background) { session in
                if session.dialect == .postgres {
                    _ = try await session.sql.raw("""
                        SELECT profile_id FROM loyalty_accounts WHERE workspace_id = \(bind: ws) AND profile_id IN (\(binds: chunk))
                        ORDER BY profile_id FOR UPDATE
                        """).all()
                }
                return try await body(LoyaltyLedger(session: session, workspaceId: ws, program: program, now: now), chunk)
            }
        }
        for chunk in ids.sorted().chunked(into: 2_000) {
            do {
                total += try await run(chunk)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // One account the job cannot handle must not hold back the other 1,999: each goes alone, and one that
                // fails alone is recorded (stage `loyalty`) and tried again next run. Many failing is the job's fault.
                guard await acceptsWrites() else { throw error }
                var failed = 0
                for id in chunk {
                    do {
                        total += try await run([id])
                    } catch {
                        failed += 1
                        guard failed <= 20 else { throw error }
                        try await database.write(priority: .background) { session in
                            try await Self.recordDeadLetter(in: session, workspaceId: ws, stage: .loyalty, itemId: id, error: "\(error)",
                                                            payload: JSONValue.object(["profileId": .int(id)]).jsonText, now: now)
                        }
                    }
                }
            }
        }
        return total
    }

    func awardBirthdays(_ ws: Int64, _ program: LoyaltyProgram, _ now: Int64) async throws -> Int {
        guard let rule = program.actions.first(where: { $0.key == "birthday" }) else { return 0 }
        let calendar = LoyaltyCalendar(timeZone: program.timeZone)
        let today = calendar.monthDay(now)
        let year = calendar.year(now)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        // A 29 February birthday is kept on the 28th in other years.
        let days = today == "02-28" && !leap ? [today, "02-29"] : [today]
        let noticeBefore = now - Int64(program.birthdayNoticeDays) * 86_400_000
        let due = try await database.read { session in
            try await session.sql.raw("""
                SELECT profile_id FROM loyalty_accounts WHERE workspace_id = \(bind: ws) AND birthday IN (\(binds: days))
                AND birthday_since <= \(bind: noticeBefore)
                """).all().map { try $0.decode(column: "profile_id", as: Int64.self) }
        }
        var awarded = 0
        for chunk in due.chunked(into: 500) {
            awarded += try await database.write(priority: .background) { session in
                let ledger = LoyaltyLedger(session: session, workspaceId: ws, program: program, now: now)
                var n = 0
                for id in chunk where try await ledger.award(rule, profileId: id, at: now, sourceKey: "birthday:\(year)") != nil { n += 1 }
                return n
            }
        }
        return awarded
    }
}
