import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Completes the referrals whose review period ended.
    func completeDueReferrals(workspaceId: Int64) async throws -> Int {
        try await withLedger(workspaceId: workspaceId) { try await $0.completeReferrals() }
    }

    /// Referrals, newest first, optionally only those with `status` (such as `held`, the ones to review).
    public func referrals(workspaceId: Int64, status: String? = nil, limit: Int = 200) async throws -> [ReferralRecord] {
        try await database.read { session in
            var query: SQLQueryString = """
                SELECT id, referrer_id, referee_id, status, reason, order_id, created_at, qualifies_at FROM referrals
                WHERE workspace_id = \(bind: workspaceId)
                """
            if let status { query += " AND status = \(bind: status)" }
            query += " ORDER BY id DESC LIMIT \(bind: limit)"
            return try await session.sql.raw(query).all().map { r in
                ReferralRecord(id: try r.decode(column: "id", as: Int64.self), referrerId: try r.decode(column: "referrer_id", as: Int64.self),
                               refereeId: try r.decode(column: "referee_id", as: Int64.self), status: try r.decode(column: "status", as: String.self),
                               reason: try r.decode(column: "reason", as: String?.self), orderId: try r.decode(column: "order_id", as: String?.self),
                               createdAt: try r.decode(column: "created_at", as: Int64.self), qualifiesAt: try r.decode(column: "qualifies_at", as: Int64?.self))
            }
        }
    }

    /// Approves (back to pending) or rejects a referral held for review.
    public func decideReferral(workspaceId: Int64, id: Int64, approve: Bool, actor: String) async throws {
        let now = self.now
        try await database.write { session in
            let changed = try await session.sql.raw("""
                UPDATE referrals SET status = \(bind: approve ? "pending" : "rejected"),
                reason = \(bind: approve ? "approved by \(actor)" : "rejected by \(actor)"), decided_at = \(bind: now)
                WHERE workspace_id = \(bind: workspaceId) AND id = \(bind: id) AND status = 'held' RETURNING id
                """).all()
            guard !changed.isEmpty else { throw CicloError(.notFound, code: "unknown_referral", "There is no held referral \(id) to decide.") }
        }
    }
}
