import Foundation
import Testing

@testable import CicloCore

@Suite("Revenue attribution")
struct AttributionTests {
    static let day: Int64 = 86_400_000
    static let orders = [
        Attribution.Order(at: 10 * day, revenue: 100, touches: [
            .init(kind: "email_open", at: 4 * day, credit: "welcome"),     // 6 days before: outside its 5-day window
            .init(kind: "email_click", at: 7 * day, credit: "cart"),
            .init(kind: "sms_click", at: 9 * day, credit: "winback"),
            .init(kind: "push_open", at: 9 * day + 1, credit: "promo"),
        ]),
        Attribution.Order(at: 20 * day, revenue: 50, touches: [.init(kind: "push_open", at: 18 * day, credit: "promo")]),  // push window 1 day
        Attribution.Order(at: 30 * day, revenue: 30, touches: []),
    ]

    @Test("last touch credits the latest interaction whose window still covers the order")
    func lastTouch() {
        let r = Attribution.attribute(Self.orders, model: .lastTouch)
        #expect(r.revenue == ["promo": 100])
        #expect(r.unattributedRevenue == 80 && r.unattributedOrders == 2)
    }

    @Test("first touch, linear, time decay and position based split as defined, and always add up", arguments: Attribution.Model.allCases)
    func models(model: Attribution.Model) {
        let r = Attribution.attribute(Self.orders, model: model)
        #expect(abs(r.revenue.values.reduce(0, +) + r.unattributedRevenue - r.totalRevenue) < 1e-9)
        #expect(abs(r.orders.values.reduce(0, +) + Double(r.unattributedOrders) - Double(r.totalOrders)) < 1e-9)
        switch model {
        case .firstTouch: #expect(r.revenue == ["cart": 100])
        case .linear: #expect(abs(r.revenue["cart"]! - 100.0 / 3) < 1e-9)
        case .positionBased: #expect(abs(r.revenue["cart"]! - 40) < 1e-9 && abs(r.revenue["winback"]! - 20) < 1e-9 && abs(r.revenue["promo"]! - 40) < 1e-9)
        case .timeDecay: #expect(r.revenue["promo"]! > r.revenue["winback"]! && r.revenue["winback"]! > r.revenue["cart"]!)
        case .lastTouch: break
        }
    }
}
