import CicloCore
import Foundation
import SQLKit

/// How a `Profile` maps to a `profiles` row: typed columns for what conditions and searches read, JSON for the rest.
enum ProfileRow {
    static let columns: [(String, BulkType)] = [
        ("id", .bigint), ("workspace_id", .bigint), ("traits", .json), ("trait_times", .json), ("computed", .json),
        ("first_seen", .bigint), ("last_seen", .bigint), ("created_at", .bigint), ("updated_at", .bigint),
        ("user_id", .text), ("email", .text), ("phone", .text), ("display_name", .text), ("search_name", .text),
        ("event_count", .bigint), ("session_count", .bigint), ("first_order_at", .bigint), ("last_order_at", .bigint),
        ("order_count", .bigint), ("total_revenue", .double), ("average_order_value", .double),
        ("last_order_value", .double), ("orders_with_coupon", .bigint), ("time_zone", .text), ("locale", .text),
        ("city", .text), ("country", .text), ("acquisition_source", .text), ("acquisition_medium", .text),
        ("acquisition_campaign", .text), ("last_order_gap_days", .double),
    ]

    /// The upsert clause: every column but the id and workspace follows the new row.
    static let upsert = "ON CONFLICT (id) DO UPDATE SET "
        + columns.dropFirst(2).map { "\($0.0) = excluded.\($0.0)" }.joined(separator: ", ")

    static func values(_ p: Profile, identifiers: [Identifier], now: Int64) -> [BulkValue] {
        let c = p.computed
        let email = p.contactEmail(identifiers: identifiers)
        let phone = p.contactPhone(identifiers: identifiers)
        let name = p.displayName
        return [
            .int(p.id), .int(p.workspaceId), .json(JSONValue.object(p.traits).jsonText),
            .json(JSONValue.object(p.traitTimes.mapValues { .int($0) }).jsonText), .json(c.json.jsonText),
            .int(c.firstSeen), .int(c.lastSeen), .int(p.createdAt), .int(now),
            .text(identifiers.first { $0.kind == .userId }?.value), .text(email), .text(phone), .text(name),
            .text(name?.lowercased()), .int(Int64(c.eventCount)), .int(Int64(c.sessionCount)), .int(c.firstOrderAt),
            .int(c.lastOrderAt), .int(Int64(c.orderCount)), .double(c.totalRevenue), .double(c.averageOrderValue),
            .double(c.lastOrderValue), .int(Int64(c.ordersWithCoupon)), .text(c.timeZone), .text(c.locale),
            .text(c.city), .text(c.country), .text(c.acquisition?.source), .text(c.acquisition?.medium),
            .text(c.acquisition?.campaign), .double(c.lastOrderGapDays),
        ]
    }

    static func select(_ dialect: Dialect) -> String {
        "id, workspace_id, \(dialect.jsonText("traits")) AS traits, \(dialect.jsonText("trait_times")) AS trait_times, "
            + "\(dialect.jsonText("computed")) AS computed, created_at, merged_into, user_id, email, stage, stage_entered_at, "
            + "persona, rfm_segment, rfm_recency, rfm_frequency, rfm_monetary, " + scoreColumns
    }

    /// The prediction run's columns; the processor never writes them, so its upserts leave them alone.
    static let scoreColumns = "p_alive, churn_risk, expected_orders_90d, purchase_probability_30d, expected_order_value, "
        + "predicted_clv_12m, clv_percentile, discount_affinity, preferred_channel, best_send_hour, top_category, top_brand, scored_at, "
        + "loyalty_balance, loyalty_tier, loyalty_lifetime, loyalty_to_next_tier, loyalty_expiring, nps_category, nps_score, referral_count"

    static func decode(_ row: any SQLRow) throws -> Profile {
        let traits = (try? JSONValue.parse(try row.decode(column: "traits", as: String.self)))?.objectValue ?? [:]
        let times = (try? JSONValue.parse(try row.decode(column: "trait_times", as: String.self)))?.objectValue ?? [:]
        let computed = (try? JSONValue.parse(try row.decode(column: "computed", as: String.self))) ?? .object([:])
        var profile = Profile(id: try row.decode(column: "id", as: Int64.self),
                              workspaceId: try row.decode(column: "workspace_id", as: Int64.self),
                              traits: traits, traitTimes: times.compactMapValues(\.intValue),
                              computed: ComputedAttributes(json: computed),
                              createdAt: try row.decode(column: "created_at", as: Int64.self))
        profile.userId = try row.decode(column: "user_id", as: String?.self)
        profile.email = try row.decode(column: "email", as: String?.self)
        profile.lifecycle = ProfileLifecycle(
            stage: try row.decode(column: "stage", as: String?.self),
            stageEnteredAt: try row.decode(column: "stage_entered_at", as: Int64?.self),
            persona: try row.decode(column: "persona", as: String?.self),
            rfmSegment: try row.decode(column: "rfm_segment", as: String?.self),
            rfmRecency: try row.decode(column: "rfm_recency", as: Int?.self),
            rfmFrequency: try row.decode(column: "rfm_frequency", as: Int?.self),
            rfmMonetary: try row.decode(column: "rfm_monetary", as: Int?.self))
        var scores = ProfileScores()
        scores.pAlive = try row.decode(column: "p_alive", as: Double?.self)
        scores.churnRisk = try row.decode(column: "churn_risk", as: Double?.self)
        scores.expectedOrders90d = try row.decode(column: "expected_orders_90d", as: Double?.self)
        scores.purchaseProbability30d = try row.decode(column: "purchase_probability_30d", as: Double?.self)
        scores.expectedOrderValue = try row.decode(column: "expected_order_value", as: Double?.self)
        scores.predictedClv12m = try row.decode(column: "predicted_clv_12m", as: Double?.self)
        scores.clvPercentile = try row.decode(column: "clv_percentile", as: Double?.self)
        scores.discountAffinity = try row.decode(column: "discount_affinity", as: Double?.self)
        scores.preferredChannel = try row.decode(column: "preferred_channel", as: String?.self)
        scores.bestSendHour = try row.decode(column: "best_send_hour", as: Int?.self)
        scores.topCategory = try row.decode(column: "top_category", as: String?.self)
        scores.topBrand = try row.decode(column: "top_brand", as: String?.self)
        scores.scoredAt = try row.decode(column: "scored_at", as: Int64?.self)
        profile.scores = scores
        var loyalty = ProfileLoyalty()
        loyalty.balance = try row.decode(column: "loyalty_balance", as: Int?.self)
        loyalty.tier = try row.decode(column: "loyalty_tier", as: String?.self)
        loyalty.lifetime = try row.decode(column: "loyalty_lifetime", as: Int?.self)
        loyalty.toNextTier = try row.decode(column: "loyalty_to_next_tier", as: Int?.self)
        loyalty.expiringSoon = try row.decode(column: "loyalty_expiring", as: Int?.self)
        loyalty.npsCategory = try row.decode(column: "nps_category", as: String?.self)
        loyalty.npsScore = try row.decode(column: "nps_score", as: Int?.self)
        loyalty.referrals = try row.decode(column: "referral_count", as: Int?.self)
        profile.loyalty = loyalty
        return profile
    }
}
