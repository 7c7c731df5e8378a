import Foundation

/// A person's loyalty standing as segments and templates read it, mirrored onto the profile by the ledger.
public struct ProfileLoyalty: Sendable, Equatable, Codable {
    /// Spendable points (negative while a deficit is being repaid).
    public var balance: Int?
    public var tier: String?
    /// Points earned over the membership, net of refunds.
    public var lifetime: Int?
    /// Qualifying points still missing for the next tier (nil at the top).
    public var toNextTier: Int?
    /// Spendable points expiring within 30 days, as of the last ledger write or nightly job.
    public var expiringSoon: Int?
    /// The latest NPS answer's category (`promoter`, `passive`, `detractor`) and score.
    public var npsCategory: String?
    public var npsScore: Int?
    /// Referrals this person made that completed.
    public var referrals: Int?

    public init() {}

    /// The standing as template variables.
    public var json: JSONValue {
        var o: [String: JSONValue] = [:]
        if let balance { o["balance"] = .int(Int64(balance)) }
        if let tier { o["tier"] = .string(tier) }
        if let lifetime { o["lifetime"] = .int(Int64(lifetime)) }
        if let toNextTier { o["to_next_tier"] = .int(Int64(toNextTier)) }
        if let expiringSoon { o["expiring_soon"] = .int(Int64(expiringSoon)) }
        if let npsCategory { o["nps_category"] = .string(npsCategory) }
        if let referrals { o["referrals"] = .int(Int64(referrals)) }
        return .object(o)
    }
}
