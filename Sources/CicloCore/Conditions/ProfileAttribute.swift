import Foundation

/// A computed attribute conditions can test, with the column it is stored in.
public enum ProfileAttribute: String, Sendable, CaseIterable {
    case firstSeen = "first_seen", lastSeen = "last_seen", eventCount = "event_count", sessionCount = "session_count"
    case firstOrderAt = "first_order_at", lastOrderAt = "last_order_at", orderCount = "order_count"
    case totalRevenue = "total_revenue", averageOrderValue = "average_order_value", lastOrderValue = "last_order_value"
    case ordersWithCoupon = "orders_with_coupon", timeZone = "time_zone", locale, city, country
    case acquisitionSource = "acquisition_source", acquisitionMedium = "acquisition_medium"
    case acquisitionCampaign = "acquisition_campaign", email, userId = "user_id"
    case stage, persona, rfmSegment = "rfm_segment", rfmRecency = "rfm_recency", rfmFrequency = "rfm_frequency"
    case rfmMonetary = "rfm_monetary", stageEnteredAt = "stage_entered_at", lastOrderGapDays = "last_order_gap_days"
    case pAlive = "p_alive", churnRisk = "churn_risk", expectedOrders90d = "expected_orders_90d"
    case purchaseProbability30d = "purchase_probability_30d", expectedOrderValue = "expected_order_value"
    case predictedClv12m = "predicted_clv_12m", clvPercentile = "clv_percentile", discountAffinity = "discount_affinity"
    case preferredChannel = "preferred_channel", bestSendHour = "best_send_hour", topCategory = "top_category"
    case topBrand = "top_brand", scoredAt = "scored_at"
    case loyaltyBalance = "loyalty_balance", loyaltyTier = "loyalty_tier", loyaltyLifetime = "loyalty_lifetime"
    case npsCategory = "nps_category", npsScore = "nps_score", referralCount = "referral_count"

    /// What kind of value the attribute holds.
    public enum Kind: Sendable { case number, time, text }

    /// Scores written by the prediction run rather than by the profile processor.
    public var isScore: Bool {
        switch self {
        case .pAlive, .churnRisk, .expectedOrders90d, .purchaseProbability30d, .expectedOrderValue, .predictedClv12m,
             .clvPercentile, .discountAffinity, .preferredChannel, .bestSendHour, .topCategory, .topBrand, .scoredAt: true
        default: false
        }
    }

    /// Written by the points ledger rather than by the profile processor.
    public var isLoyalty: Bool {
        switch self {
        case .loyaltyBalance, .loyaltyTier, .loyaltyLifetime, .npsCategory, .npsScore, .referralCount: true
        default: false
        }
    }

    /// Its kind.
    public var kind: Kind {
        switch self {
        case .firstSeen, .lastSeen, .firstOrderAt, .lastOrderAt, .stageEnteredAt, .scoredAt: .time
        case .eventCount, .sessionCount, .orderCount, .totalRevenue, .averageOrderValue, .lastOrderValue,
             .ordersWithCoupon, .rfmRecency, .rfmFrequency, .rfmMonetary, .lastOrderGapDays, .pAlive, .churnRisk,
             .expectedOrders90d, .purchaseProbability30d, .expectedOrderValue, .predictedClv12m, .clvPercentile,
             .discountAffinity, .bestSendHour, .loyaltyBalance, .loyaltyLifetime, .npsScore, .referralCount: .number
        default: .text
        }
    }

    /// The `profiles` column that stores it.
    public var column: String { rawValue }

    /// The attribute's value for a profile, as JSON (times as ms numbers).
    public func value(of p: Profile) -> JSONValue? {
        let c = p.computed
        func n(_ v: Int?) -> JSONValue? { v.map { .int(Int64($0)) } }
        func t(_ v: Int64?) -> JSONValue? { v.map { .int($0) } }
        func d(_ v: Double?) -> JSONValue? { v.map { .double($0) } }
        func s(_ v: String?) -> JSONValue? { v.map { .string($0) } }
        switch self {
        case .firstSeen: return t(c.firstSeen)
        case .lastSeen: return t(c.lastSeen)
        case .eventCount: return n(c.eventCount)
        case .sessionCount: return n(c.sessionCount)
        case .firstOrderAt: return t(c.firstOrderAt)
        case .lastOrderAt: return t(c.lastOrderAt)
        case .orderCount: return n(c.orderCount)
        case .totalRevenue: return d(c.totalRevenue)
        case .averageOrderValue: return d(c.averageOrderValue)
        case .lastOrderValue: return d(c.lastOrderValue)
        case .ordersWithCoupon: return n(c.ordersWithCoupon)
        case .timeZone: return s(c.timeZone)
        case .locale: return s(c.locale)
        case .city: return s(c.city)
        case .country: return s(c.country)
        case .acquisitionSource: return s(c.acquisition?.source)
        case .acquisitionMedium: return s(c.acquisition?.medium)
        case .acquisitionCampaign: return s(c.acquisition?.campaign)
        case .email: return s(p.email)
        case .userId: return s(p.userId)
        case .stage: return s(p.lifecycle.stage)
        case .persona: return s(p.lifecycle.persona)
        case .rfmSegment: return s(p.lifecycle.rfmSegment)
        case .rfmRecency: return n(p.lifecycle.rfmRecency)
        case .rfmFrequency: return n(p.lifecycle.rfmFrequency)
        case .rfmMonetary: return n(p.lifecycle.rfmMonetary)
        case .stageEnteredAt: return t(p.lifecycle.stageEnteredAt)
        case .lastOrderGapDays: return d(c.lastOrderGapDays)
        case .pAlive: return d(p.scores.pAlive)
        case .churnRisk: return d(p.scores.churnRisk)
        case .expectedOrders90d: return d(p.scores.expectedOrders90d)
        case .purchaseProbability30d: return d(p.scores.purchaseProbability30d)
        case .expectedOrderValue: return d(p.scores.expectedOrderValue)
        case .predictedClv12m: return d(p.scores.predictedClv12m)
        case .clvPercentile: return d(p.scores.clvPercentile)
        case .discountAffinity: return d(p.scores.discountAffinity)
        case .preferredChannel: return s(p.scores.preferredChannel)
        case .bestSendHour: return n(p.scores.bestSendHour)
        case .topCategory: return s(p.scores.topCategory)
        case .topBrand: return s(p.scores.topBrand)
        case .scoredAt: return t(p.scores.scoredAt)
        case .loyaltyBalance: return n(p.loyalty.balance)
        case .loyaltyTier: return s(p.loyalty.tier)
        case .loyaltyLifetime: return n(p.loyalty.lifetime)
        case .npsCategory: return s(p.loyalty.npsCategory)
        case .npsScore: return n(p.loyalty.npsScore)
        case .referralCount: return n(p.loyalty.referrals)
        }
    }
}
