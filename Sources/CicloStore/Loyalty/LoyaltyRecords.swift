import CicloCore
import Foundation

/// A member's cached standing: spendable and pending points, lifetime points, tier; derived from the ledger.
public struct LoyaltyAccount: Sendable, Codable, Equatable {
    public var profileId: Int64
    public var balance: Int
    public var pending: Int
    public var lifetime: Int
    public var deficit: Int
    public var tier: String?
    public var tierSince: Int64?
    public var tierUntil: Int64?
    public var tierManualUntil: Int64?
    public var lastActivityAt: Int64?
}

/// One ledger entry, as the member's history shows it.
public struct LoyaltyEntry: Sendable, Codable, Equatable {
    public var id: Int64
    /// `earn_order`, `earn_action`, `earn_referral`, `redeem`, `redeem_reversal`, `clawback`, `expire`, `adjust`.
    public var kind: String
    public var points: Int
    public var orderId: String?
    public var rule: String?
    public var sourceKey: String?
    public var reason: String?
    public var actor: String?
    public var createdAt: Int64
}

/// One lot of points: when it becomes spendable, when it expires, how much is left.
public struct LoyaltyLot: Sendable, Codable, Equatable {
    public var id: Int64
    public var points: Int
    public var remaining: Int
    public var pending: Bool
    public var availableAt: Int64
    public var expiresAt: Int64?
}

/// The answer to a redemption: the entry, the points taken, the coupon; `replayed` when an idempotency key repeated it.
public struct LoyaltyRedemption: Sendable, Codable, Equatable {
    public var entryId: Int64
    public var points: Int
    public var reward: String?
    public var coupon: String?
    public var balance: Int
    public var replayed: Bool
}

/// Not enough spendable points for a redemption: how many were needed and how many are short.
public struct InsufficientPoints: Error, Sendable, Equatable {
    public var needed: Int
    public var available: Int
    public var shortfall: Int { needed - available }
}

/// A member's loyalty view: standing, tier progress, lots and history.
public struct LoyaltyMemberView: Sendable, Codable {
    public var account: LoyaltyAccount
    public var qualifyingPoints: Int
    public var nextTier: String?
    public var pointsToNextTier: Int?
    /// Spendable points that expire within 30 days, and the soonest expiry.
    public var expiringSoon: Int
    public var nextExpiry: Int64?
    public var lots: [LoyaltyLot]
    public var history: [LoyaltyEntry]
    public var referralCode: String?
}
