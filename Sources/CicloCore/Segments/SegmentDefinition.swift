import Foundation

/// A named audience defined by a condition, with live membership.
public struct SegmentDefinition: Sendable, Equatable {
    /// The key other conditions refer to it by.
    public var key: String
    public var name: String
    public var description: String
    public var condition: Condition
    /// Shipped with every workspace (still editable).
    public var readyMade: Bool

    public init(key: String, name: String, description: String = "", condition: Condition, readyMade: Bool = false) {
        self.key = key
        self.name = name
        self.description = description
        self.condition = condition
        self.readyMade = readyMade
    }
}

extension SegmentDefinition {
    /// The ready-made segments every workspace starts with.
    public static let readyMade: [SegmentDefinition] = {
        func ev(_ name: String, _ window: EventWindow = .ever, _ measure: EventMeasure = .count(.atLeast, 1)) -> Condition {
            .event(EventCondition(EventMatch(name: name), window: window, measure: measure))
        }
        let day = EventWindow.last(.hours(24))
        let customer = Condition.attribute(.orderCount, ValueTest(.gte, 1))
        return [
            .init(key: "cart-abandoners", name: "Cart abandoners", description: "Added to cart in the last 24 hours, no order since.",
                  condition: .all([ev("Product Added", day), ev("Order Completed", day, .count(.atMost, 0))]), readyMade: true),
            .init(key: "browse-abandoners", name: "Browse abandoners", description: "Viewed products in the last 24 hours without adding to cart or ordering.",
                  condition: .all([ev("Product Viewed", day), ev("Product Added", day, .count(.atMost, 0)),
                                   ev("Order Completed", day, .count(.atMost, 0))]), readyMade: true),
            .init(key: "registered-never-purchased", name: "Registered, never purchased", description: "Known by email or user id, no order yet.",
                  condition: .all([LifecycleModel.identified, .attribute(.orderCount, ValueTest(.equals, 0))]), readyMade: true),
            .init(key: "first-time-buyers", name: "First-time buyers", description: "Exactly one order.",
                  condition: .attribute(.orderCount, ValueTest(.equals, 1)), readyMade: true),
            .init(key: "repeat-customers", name: "Repeat customers", description: "Two or more orders.",
                  condition: .attribute(.orderCount, ValueTest(.gte, 2)), readyMade: true),
            .init(key: "vip", name: "VIPs", description: "RFM Champions.", condition: .rfm("Champions"), readyMade: true),
            .init(key: "at-risk", name: "At risk", description: "RFM At Risk and Can't Lose Them.",
                  condition: .any([.rfm("At Risk"), .rfm("Can't Lose Them")]), readyMade: true),
            .init(key: "lapsed", name: "Lapsed", description: "No order in 180 days.",
                  condition: .all([customer, .attribute(.lastOrderAt, ValueTest(.before, ago: .days(180)))]), readyMade: true),
            .init(key: "reactivated", name: "Reactivated", description: "Ordered again in the last 180 days after 180 days or more without an order.",
                  condition: .all([.attribute(.lastOrderGapDays, ValueTest(.gte, 180)),
                                   .attribute(.lastOrderAt, ValueTest(.after, ago: .days(180)))]), readyMade: true),
            .init(key: "email-engaged-30d", name: "Engaged by email (30 days)", description: "Opened or clicked an email in the last 30 days.",
                  condition: .any([ev("Email Opened", .last(.days(30))), ev("Email Link Clicked", .last(.days(30)))]), readyMade: true),
            .init(key: "campaign-leads", name: "Campaign leads", description: "Known people who arrived through a campaign (first-touch UTM) and have not ordered; edit to pick one campaign.",
                  condition: .all([.attribute(.acquisitionCampaign, ValueTest(.exists)), LifecycleModel.identified,
                                   .attribute(.orderCount, ValueTest(.equals, 0))]), readyMade: true),
        ]
    }()
}
