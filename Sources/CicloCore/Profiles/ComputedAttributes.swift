import Foundation

/// What Ciclo works out about a person from their events, kept current as events arrive.
public struct ComputedAttributes: Sendable, Codable, Equatable {
    /// A product the person looked at or has in the cart.
    public struct ProductRef: Sendable, Codable, Equatable {
        public var productId: String
        public var name: String?
        public var category: String?
        public var price: Double?
        public var quantity: Int?
        public var at: Int64?
    }

    /// Where the person first came from.
    public struct Acquisition: Sendable, Codable, Equatable {
        public var source: String?
        public var medium: String?
        public var campaign: String?
        public var term: String?
        public var content: String?
        public var referrer: String?
    }

    public var firstSeen: Int64?
    public var lastSeen: Int64?
    public var eventCount = 0
    public var sessionCount = 0
    public var firstOrderAt: Int64?
    public var lastOrderAt: Int64?
    public var orderCount = 0
    /// Revenue of orders minus refunds.
    public var totalRevenue = 0.0
    public var refundedRevenue = 0.0
    public var lastOrderValue: Double?
    /// Days between the last order and the one before it (how long someone was away before ordering again).
    public var lastOrderGapDays: Double?
    public var ordersWithCoupon = 0
    public var lastViewedProducts: [ProductRef] = []
    public var cart: [ProductRef] = []
    public var acquisition: Acquisition?
    public var timeZone: String?
    public var locale: String?
    public var city: String?
    public var country: String?
    public var deviceType: String?
    public var os: String?
    /// Channels the person engaged on (`email`, `sms`, `web`, `mobile`, ...).
    public var channels: [String] = []
    /// Recent orders with the revenue not yet refunded, oldest first, so refunds take back at most what an order brought.
    public var recentOrders: [OrderBalance] = []

    /// An order's id and the part of its revenue not refunded yet.
    public struct OrderBalance: Sendable, Codable, Equatable {
        public var orderId: String
        public var remaining: Double
    }

    /// Creates empty attributes.
    public init() {}

    /// Net revenue per order.
    public var averageOrderValue: Double? { orderCount > 0 ? totalRevenue / Double(orderCount) : nil }

    static let maxViewed = 10
    static let maxCart = 50
    static let maxRecentOrders = 100
    static let sessionGap: Int64 = 30 * 60 * 1000
}
