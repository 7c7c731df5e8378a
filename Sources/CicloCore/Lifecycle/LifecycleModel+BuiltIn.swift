import Foundation

extension LifecycleModel {
    /// The six models a workspace can pick from; the first is the default.
    public static let builtIn: [LifecycleModel] = [marketing, customerJourney, sterneCutler, fourStage, sixStage, b2b]

    static let anyone = Condition.always
    static let identified = Condition.any([.attribute(.email, ValueTest(.exists)), .attribute(.userId, ValueTest(.exists))])
    static let customer = Condition.attribute(.orderCount, ValueTest(.gte, 1))
    static let newCustomer = Condition.all([customer, .attribute(.firstOrderAt, ValueTest(.after, ago: .days(30)))])
    /// The complement of a new customer, not "more than 30 days ago": both are strict, so at the 30-day mark itself
    /// neither would hold and, evaluated in event time, the person would drop back to Convert for that instant.
    static let established = Condition.all([customer, .not(.attribute(.firstOrderAt, ValueTest(.after, ago: .days(30))))])
    static let repeatCustomer = Condition.attribute(.orderCount, ValueTest(.gte, 2))
    static let loyal = Condition.any([.attribute(.orderCount, ValueTest(.gte, 3)), .rfm("Champions"), .rfm("Loyal Customers")])
    static let considering = Condition.any([
        .event(EventCondition(EventMatch(name: "Product Added"))), .event(EventCondition(EventMatch(name: "Checkout Started"))),
        .event(EventCondition(EventMatch(name: "Product Viewed"), measure: .count(.atLeast, 2))),
    ])
    static let deciding = Condition.any([
        .event(EventCondition(EventMatch(name: "Checkout Started"))), .event(EventCondition(EventMatch(name: "Demo Requested"))),
        .event(EventCondition(EventMatch(name: "Trial Started"))),
    ])
    /// Referred someone, reviewed a product, or answered NPS 9–10.
    static let advocate = Condition.all([customer, .any([
        .event(EventCondition(EventMatch(name: "Referral Completed"))),
        .event(EventCondition(EventMatch(name: "Referral Link Shared"))),
        .event(EventCondition(EventMatch(name: "Review Submitted"))),
        .event(EventCondition(EventMatch(name: "Product Reviewed"))),
        .event(EventCondition(EventMatch(name: "NPS Submitted", filters: [("score", ValueTest(.gte, 9))]))),
    ])])

    static func stage(_ key: String, _ name: String, _ condition: Condition) -> Stage { Stage(key: key, name: name, condition: condition) }

    /// Attract, Convert, Fulfil, Retain, Advocate.
    public static let marketing = LifecycleModel(key: "marketing", name: "Marketing lifecycle", stages: [
        stage("attract", "Attract", anyone), stage("convert", "Convert", identified), stage("fulfil", "Fulfil", newCustomer),
        stage("retain", "Retain", established), stage("advocate", "Advocate", advocate),
    ])
    /// Awareness, Consideration, Conversion, Retention, Advocacy.
    public static let customerJourney = LifecycleModel(key: "customer-journey", name: "Customer journey", stages: [
        stage("awareness", "Awareness", anyone), stage("consideration", "Consideration", .any([considering, identified])),
        stage("conversion", "Conversion", newCustomer), stage("retention", "Retention", .any([established, repeatCustomer])),
        stage("advocacy", "Advocacy", advocate),
    ])
    /// Reach, Acquisition, Conversion, Retention, Loyalty.
    public static let sterneCutler = LifecycleModel(key: "sterne-cutler", name: "Sterne & Cutler", stages: [
        stage("reach", "Reach", anyone), stage("acquisition", "Acquisition", identified),
        stage("conversion", "Conversion", newCustomer), stage("retention", "Retention", established),
        stage("loyalty", "Loyalty", .all([customer, loyal])),
    ])
    /// Acquisition, Onboarding, Engagement, Retention.
    public static let fourStage = LifecycleModel(key: "four-stage", name: "Four-stage", stages: [
        stage("acquisition", "Acquisition", anyone), stage("onboarding", "Onboarding", identified),
        stage("engagement", "Engagement", customer), stage("retention", "Retention", repeatCustomer),
    ])
    /// Awareness, Consideration, Purchase, Retention, Advocacy, Loyalty.
    public static let sixStage = LifecycleModel(key: "six-stage", name: "Six-stage", stages: [
        stage("awareness", "Awareness", anyone), stage("consideration", "Consideration", .any([considering, identified])),
        stage("purchase", "Purchase", newCustomer), stage("retention", "Retention", .any([established, repeatCustomer])),
        stage("advocacy", "Advocacy", advocate), stage("loyalty", "Loyalty", .all([advocate, loyal])),
    ])
    /// Awareness, Consideration, Decision, Implementation, Retention, Advocacy.
    public static let b2b = LifecycleModel(key: "b2b", name: "B2B", stages: [
        stage("awareness", "Awareness", anyone), stage("consideration", "Consideration", identified),
        stage("decision", "Decision", .all([identified, deciding])), stage("implementation", "Implementation", newCustomer),
        stage("retention", "Retention", established), stage("advocacy", "Advocacy", advocate),
    ])
}
