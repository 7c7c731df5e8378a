import Foundation

/// Orders and revenue that happened in one hour (UTC), added up as the profile processor applies events.
public struct HourlyOrders: Sendable, Equatable {
    /// Hours since 1970-01-01T00:00Z.
    public var hour: Int64
    public var orders: Int
    /// Orders from people who had ordered before.
    public var repeatOrders: Int
    public var revenue: Double
    public var refunds: Double

    public init(hour: Int64, orders: Int = 0, repeatOrders: Int = 0, revenue: Double = 0, refunds: Double = 0) {
        self.hour = hour
        self.orders = orders
        self.repeatOrders = repeatOrders
        self.revenue = revenue
        self.refunds = refunds
    }
}

/// What an event did to a person's orders, as `ComputedAttributes` saw it when applying it.
public enum OrderEffect: Sendable, Equatable {
    /// A new order; `repeat` when the person had ordered before.
    case order(revenue: Double, repeat: Bool)
    /// Revenue given back.
    case refund(amount: Double)
}

extension HourlyOrders {
    /// Sums effects into one row per hour, oldest first.
    public static func rollUp(_ effects: [(at: Int64, effect: OrderEffect)]) -> [HourlyOrders] {
        var byHour: [Int64: HourlyOrders] = [:]
        for (at, effect) in effects {
            let hour = Int64((Double(at) / 3_600_000).rounded(.down))
            var row = byHour[hour] ?? HourlyOrders(hour: hour)
            switch effect {
            case .order(let revenue, let isRepeat):
                row.orders += 1
                row.revenue += revenue
                if isRepeat { row.repeatOrders += 1 }
            case .refund(let amount): row.refunds += amount
            }
            byHour[hour] = row
        }
        return byHour.values.sorted { $0.hour < $1.hour }
    }
}
