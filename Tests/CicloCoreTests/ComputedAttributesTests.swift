import CicloCore
import Foundation
import Testing

@Suite("Computed attributes")
struct ComputedAttributesTests {
    static let day = 86_400.0
    static func event(_ name: String?, _ type: EventType = .track, at days: Double, properties: JSONValue = [:],
                      context: JSONValue = [:]) -> Event {
        let t = Date(timeIntervalSince1970: 1_800_000_000 + days * day)
        return Event(workspaceId: 1, messageId: UUID().uuidString, type: type, event: name, userId: "u",
                     properties: properties, context: context, timestamp: t, receivedAt: t)
    }

    @Test("a scripted Ecommerce v2 history with a coupon and a refund gives the hand-computed values")
    func ecommerceHistory() {
        let history: [Event] = [
            Self.event(nil, .page, at: 0, context: [
                "campaign": ["source": "google", "medium": "cpc", "name": "spring"], "timezone": "Europe/Rome",
                "locale": "it-IT", "location": ["city": "Rome", "country": "IT"], "device": ["type": "mobile"]]),
            Self.event("Product Viewed", at: 0.01, properties: ["product_id": "p1", "name": "Runner", "price": 80]),
            Self.event("Product Viewed", at: 0.02, properties: ["product_id": "p2", "price": 20]),
            Self.event("Product Added", at: 0.03, properties: ["product_id": "p1", "price": 80, "quantity": 1]),
            Self.event("Product Added", at: 0.04, properties: ["product_id": "p2", "price": 20, "quantity": 1]),
            Self.event("Product Removed", at: 0.05, properties: ["product_id": "p2"]),
            Self.event("Order Completed", at: 0.06, properties: ["order_id": "o1", "revenue": 80, "products": [["product_id": "p1"]]]),
            // 10 days later (a new session), an order with a coupon
            Self.event("Order Completed", at: 10, properties: ["order_id": "o2", "revenue": 45.5, "coupon": "SPRING15"]),
            Self.event("Order Completed", at: 10.01, properties: ["order_id": "o2", "revenue": 45.5, "coupon": "SPRING15"]),
            // a partial refund of o1, then a full refund of o1 (only the rest goes back)
            Self.event("Order Refunded", at: 12, properties: ["order_id": "o1", "revenue": 30]),
            Self.event("Order Refunded", at: 13, properties: ["order_id": "o1"]),
            Self.event("Product Added", at: 14, properties: ["product_id": "p3", "price": 15]),
            Self.event("Email Opened", at: 15),
        ]
        var attributes = ComputedAttributes()
        for event in history { attributes.apply(event) }

        #expect(attributes.eventCount == 13)
        #expect(attributes.sessionCount == 6)  // day 0, 10, 12, 13, 14, 15
        #expect(attributes.orderCount == 2)
        #expect(attributes.totalRevenue == 45.5)  // 80 + 45.5 − 30 − 50
        #expect(attributes.refundedRevenue == 80)
        #expect(attributes.averageOrderValue == 22.75)
        #expect(attributes.lastOrderValue == 45.5)
        #expect(attributes.ordersWithCoupon == 1)
        #expect(attributes.firstOrderAt == Self.event(nil, at: 0.06).timestamp.epochMilliseconds)
        #expect(attributes.lastOrderAt == Self.event(nil, at: 10).timestamp.epochMilliseconds)
        #expect(attributes.lastViewedProducts.map(\.productId) == ["p2", "p1"])
        #expect(attributes.cart.map(\.productId) == ["p3"])
        #expect(attributes.acquisition?.source == "google" && attributes.acquisition?.medium == "cpc")
        #expect(attributes.acquisition?.campaign == "spring" && attributes.acquisition?.referrer == nil)
        #expect(attributes.timeZone == "Europe/Rome" && attributes.locale == "it-IT" && attributes.city == "Rome")
        #expect(attributes.deviceType == "mobile")
        #expect(attributes.channels == ["email", "web"])
    }
}
