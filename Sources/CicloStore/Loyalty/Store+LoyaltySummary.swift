import CicloCore
import Foundation
import SQLKit

/// The program at a glance: members, points outstanding and pending, people per tier.
public struct LoyaltySummary: Sendable, Equatable {
    public var members: Int
    public var balance: Int
    public var pending: Int
    public var tiers: [(tier: String, members: Int)]

    public static func == (a: Self, b: Self) -> Bool {
        a.members == b.members && a.balance == b.balance && a.pending == b.pending && a.tiers.map(\.tier) == b.tiers.map(\.tier)
            && a.tiers.map(\.members) == b.tiers.map(\.members)
    }
}

/// One member in a list: who, balance, tier, lifetime points.
public struct LoyaltyMemberRow: Sendable, Equatable {
    public var profileId: Int64
    public var label: String
    public var balance: Int
    public var tier: String?
    public var lifetime: Int
}

extension Store {
    /// Members, outstanding and pending points, and people per tier, from the account caches.
    public func loyaltySummary(workspaceId: Int64) async throws -> LoyaltySummary {
        try await database.read { session in
            let totals = try await session.sql.raw("""
                SELECT COUNT(*) AS n, CAST(COALESCE(SUM(balance), 0) AS BIGINT) AS b, CAST(COALESCE(SUM(pending), 0) AS BIGINT) AS p
                FROM loyalty_accounts WHERE workspace_id = \(bind: workspaceId)
                """).first()
            let tiers = try await session.sql.raw("""
                SELECT COALESCE(tier, 'none') AS tier, COUNT(*) AS n FROM loyalty_accounts WHERE workspace_id = \(bind: workspaceId) GROUP BY 1 ORDER BY 2 DESC
                """).all().map { (tier: try $0.decode(column: "tier", as: String.self), members: try $0.decode(column: "n", as: Int.self)) }
            return LoyaltySummary(members: try totals?.decode(column: "n", as: Int.self) ?? 0, balance: try totals?.decode(column: "b", as: Int.self) ?? 0,
                                  pending: try totals?.decode(column: "p", as: Int.self) ?? 0, tiers: tiers)
        }
    }

    /// The members with the most spendable points.
    public func topLoyaltyMembers(workspaceId: Int64, limit: Int = 20) async throws -> [LoyaltyMemberRow] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT a.profile_id, a.balance, a.tier, a.lifetime, p.email, p.user_id FROM loyalty_accounts a
                LEFT JOIN profiles p ON p.id = a.profile_id WHERE a.workspace_id = \(bind: workspaceId)
                ORDER BY a.balance DESC, a.profile_id LIMIT \(bind: limit)
                """).all().map { r in
                let id = try r.decode(column: "profile_id", as: Int64.self)
                return LoyaltyMemberRow(profileId: id, label: try r.decode(column: "email", as: String?.self) ?? r.decode(column: "user_id", as: String?.self) ?? "#\(id)",
                                        balance: try r.decode(column: "balance", as: Int.self), tier: try r.decode(column: "tier", as: String?.self),
                                        lifetime: try r.decode(column: "lifetime", as: Int.self))
            }
        }
    }
}
