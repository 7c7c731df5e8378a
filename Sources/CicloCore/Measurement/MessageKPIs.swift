import Foundation

/// Message KPIs as counts and rates: rates are nil when their denominator is zero, never NaN.
public struct MessageKPIs: Sendable, Codable, Equatable {
    public var sends: Int
    public var deliveries: Int
    public var uniqueOpens: Int
    public var uniqueClicks: Int
    public var unsubscribes: Int
    public var bounces: Int
    public var openRate: Double?
    public var clickRate: Double?
    public var clickToOpenRate: Double?
    public var unsubscribeRate: Double?

    /// From a rollup's metric sums.
    public init(_ metrics: [String: Double]) {
        func n(_ key: String) -> Int { Int(metrics[key] ?? 0) }
        sends = n("sends"); deliveries = n("deliveries"); uniqueOpens = n("unique_opens"); uniqueClicks = n("unique_clicks")
        unsubscribes = n("unsubscribes"); bounces = n("bounces")
        // Channels without delivery receipts count what was sent as delivered.
        let delivered = deliveries > 0 ? deliveries : sends
        func rate(_ a: Int, _ b: Int) -> Double? { b > 0 ? Double(a) / Double(b) : nil }
        openRate = rate(uniqueOpens, delivered)
        clickRate = rate(uniqueClicks, delivered)
        clickToOpenRate = rate(uniqueClicks, uniqueOpens)
        unsubscribeRate = rate(unsubscribes, delivered)
    }
}
