import Foundation

/// A workspace's loyalty program: how points are earned, when they become spendable and expire, how they are spent,
/// what happens to a negative balance, the tiers and the rewards. Written as JSON and applied with
/// `ciclo loyalty apply FILE` or the admin API.
public struct LoyaltyProgram: Sendable, Equatable {
    public enum Rounding: String, Sendable { case floor, halfUp = "half-up" }
    public enum NegativePolicy: String, Sendable { case allowDeficit = "allow-deficit", clampAtZero = "clamp-at-zero" }
    public enum Period: String, Sendable { case day, week, month, year, ever }

    /// Points for an action (sign-up, birthday, review, referral, NPS answer, or any event), capped per period.
    public struct ActionRule: Sendable, Equatable {
        public var key: String
        public var event: String
        public var points: Int
        public var cap: Int
        public var per: Period
        public init(key: String, event: String, points: Int, cap: Int = 1, per: Period = .ever) {
            (self.key, self.event, self.points, self.cap, self.per) = (key, event, points, cap, per)
        }
    }

    public struct Tier: Sendable, Equatable {
        public var key: String
        public var name: String
        /// Qualifying points earned in the rolling window to enter.
        public var threshold: Int
        /// Multiplier on order points while in the tier.
        public var multiplier: Double
        public init(key: String, name: String, threshold: Int, multiplier: Double = 1) {
            (self.key, self.name, self.threshold, self.multiplier) = (key, name, threshold, multiplier)
        }
    }

    public struct Reward: Sendable, Equatable {
        public enum Kind: String, Sendable { case amountOff = "amount-off", percentOff = "percent-off", freeShipping = "free-shipping", freeProduct = "free-product" }
        public var key: String
        public var name: String
        public var cost: Int
        public var kind: Kind
        public var value: Double
        /// At most this many redemptions overall and per customer (nil: no limit).
        public var globalLimit: Int?
        public var perCustomerLimit: Int?
        /// At most this share of an order may be paid with the reward (amount-off rewards, when the order total is given).
        public var maxOrderShare: Double?
        public init(key: String, name: String, cost: Int, kind: Kind, value: Double = 0, globalLimit: Int? = nil, perCustomerLimit: Int? = nil) {
            (self.key, self.name, self.cost, self.kind, self.value, self.globalLimit, self.perCustomerLimit) = (key, name, cost, kind, value, globalLimit, perCustomerLimit)
        }
    }

    /// Points per currency unit of an order's eligible amount.
    public var pointsPerUnit: Double
    public var rounding: Rounding
    public var minimumOrder: Double
    /// Multipliers by product category and by SKU (the larger applies to a line).
    public var categoryMultipliers: [String: Double]
    public var skuMultipliers: [String: Double]
    /// Amounts left out of the eligible total (`shipping`, `tax`, `gift_cards`, `discount`), unless turned on.
    public var includeShipping = false, includeTax = false
    public var actions: [ActionRule]
    /// Order points stay pending this many days (the return window).
    public var pendingDays: Int
    /// Lots expire this many days after becoming available, at the end of that day in `timeZone` (nil: never).
    public var expiryDays: Int?
    /// The whole balance expires after this many months without activity, counted at the earliest from `inactivitySince`.
    public var inactivityMonths: Int?
    public var inactivitySince: Int64?
    public var negativePolicy: NegativePolicy
    public var timeZone: String
    public var tiers: [Tier]
    /// Rolling window of qualifying points for tiers, and how long a tier holds once reached.
    public var tierWindowDays: Int
    public var tierTermMonths: Int
    public var rewards: [Reward]
    /// A birthday must be on file this long before the day to earn its award.
    public var birthdayNoticeDays: Int
    /// Referrals per referrer per rolling year.
    public var referralAllowance: Int
    public var referrerPoints: Int
    public var refereePoints: Int

    public init(pointsPerUnit: Double = 1, rounding: Rounding = .floor, minimumOrder: Double = 0, categoryMultipliers: [String: Double] = [:],
                skuMultipliers: [String: Double] = [:], actions: [ActionRule] = LoyaltyProgram.standardActions, pendingDays: Int = 30,
                expiryDays: Int? = 365, inactivityMonths: Int? = nil, inactivitySince: Int64? = nil, negativePolicy: NegativePolicy = .allowDeficit,
                timeZone: String = "UTC", tiers: [Tier] = LoyaltyProgram.standardTiers, tierWindowDays: Int = 365, tierTermMonths: Int = 12,
                rewards: [Reward] = [], birthdayNoticeDays: Int = 30, referralAllowance: Int = 5, referrerPoints: Int = 200, refereePoints: Int = 100) {
        self.pointsPerUnit = pointsPerUnit; self.rounding = rounding; self.minimumOrder = minimumOrder
        self.categoryMultipliers = categoryMultipliers; self.skuMultipliers = skuMultipliers; self.actions = actions
        self.pendingDays = pendingDays; self.expiryDays = expiryDays; self.inactivityMonths = inactivityMonths
        self.inactivitySince = inactivitySince; self.negativePolicy = negativePolicy; self.timeZone = timeZone; self.tiers = tiers
        self.tierWindowDays = tierWindowDays; self.tierTermMonths = tierTermMonths; self.rewards = rewards
        self.birthdayNoticeDays = birthdayNoticeDays; self.referralAllowance = referralAllowance
        self.referrerPoints = referrerPoints; self.refereePoints = refereePoints
    }

    public static let standardActions = [
        ActionRule(key: "signup", event: "Signed Up", points: 50), ActionRule(key: "birthday", event: "Birthday", points: 100, per: .year),
        ActionRule(key: "review", event: "Review Submitted", points: 20, cap: 5, per: .month),
        ActionRule(key: "nps", event: "NPS Submitted", points: 10, cap: 1, per: .month),
    ]
    public static let standardTiers = [Tier(key: "bronze", name: "Bronze", threshold: 0), Tier(key: "silver", name: "Silver", threshold: 500, multiplier: 1.25),
                                       Tier(key: "gold", name: "Gold", threshold: 2000, multiplier: 1.5)]
}
