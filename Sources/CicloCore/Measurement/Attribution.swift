import Foundation

/// Revenue attribution: which interactions get credit for an order. Each interaction counts only within its
/// channel's window after it; orders with none are unattributed, so attributed plus unattributed is the total.
public enum Attribution {
    public enum Model: String, Sendable, CaseIterable, Codable {
        case lastTouch = "last-touch", firstTouch = "first-touch", linear, timeDecay = "time-decay", positionBased = "position-based"
    }

    /// An interaction with a message: its kind (`email_open`, `email_click`, `sms_click`, `push_open`, ...), when,
    /// and what it is credited to.
    public struct Touch: Sendable, Equatable {
        public var kind: String
        public var at: Int64
        public var credit: String
        public init(kind: String, at: Int64, credit: String) { (self.kind, self.at, self.credit) = (kind, at, credit) }
    }

    public struct Order: Sendable, Equatable {
        public var at: Int64
        public var revenue: Double
        public var touches: [Touch]
        public init(at: Int64, revenue: Double, touches: [Touch]) { (self.at, self.revenue, self.touches) = (at, revenue, touches) }
    }

    /// Windows per interaction kind (defaults: email open and click 5 days, SMS click 5 days, push open 1 day).
    public static let defaultWindows: [String: TimeSpan] = [
        "email_open": .days(5), "email_click": .days(5), "sms_click": .days(5), "whatsapp_click": .days(5), "push_open": .days(1),
        "onsite_click": .days(1),
    ]

    /// Credited revenue and orders per key, and what no interaction covered.
    public struct Result: Sendable, Equatable, Codable {
        public var revenue: [String: Double]
        public var orders: [String: Double]
        public var unattributedRevenue: Double
        public var unattributedOrders: Int
        public var totalRevenue: Double
        public var totalOrders: Int
    }

    public static func attribute(_ orders: [Order], model: Model, windows: [String: TimeSpan] = defaultWindows,
                                 halfLife: TimeSpan = .days(7)) -> Result {
        var result = Result(revenue: [:], orders: [:], unattributedRevenue: 0, unattributedOrders: 0,
                            totalRevenue: orders.reduce(0) { $0 + $1.revenue }, totalOrders: orders.count)
        for order in orders {
            let touches = order.touches.filter { t in
                guard let window = windows[t.kind], t.at <= order.at else { return false }
                return order.at - t.at <= window.milliseconds
            }.sorted { $0.at < $1.at }
            guard !touches.isEmpty else {
                result.unattributedRevenue += order.revenue
                result.unattributedOrders += 1
                continue
            }
            for (touch, weight) in zip(touches, weights(touches, order: order, model: model, halfLife: halfLife)) where weight > 0 {
                result.revenue[touch.credit, default: 0] += order.revenue * weight
                result.orders[touch.credit, default: 0] += weight
            }
        }
        return result
    }

    /// Shares of an order's credit for each of its touches (oldest first), summing to 1.
    static func weights(_ touches: [Touch], order: Order, model: Model, halfLife: TimeSpan) -> [Double] {
        let n = touches.count
        switch model {
        case .lastTouch: return (0..<n).map { $0 == n - 1 ? 1 : 0 }
        case .firstTouch: return (0..<n).map { $0 == 0 ? 1 : 0 }
        case .linear: return Array(repeating: 1 / Double(n), count: n)
        case .timeDecay:
            let raw = touches.map { pow(0.5, Double(order.at - $0.at) / Double(halfLife.milliseconds)) }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        case .positionBased:
            if n == 1 { return [1] }
            if n == 2 { return [0.5, 0.5] }
            let middle = 0.2 / Double(n - 2)
            return (0..<n).map { $0 == 0 || $0 == n - 1 ? 0.4 : middle }
        }
    }
}
