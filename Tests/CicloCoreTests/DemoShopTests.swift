import CicloCore
import Foundation
import Testing

@Suite("Demo shop generator")
struct DemoShopTests {
    static let end = ISO8601.parse("2026-06-30T23:59:59Z")!
    static let shop = DemoShop(.init(profiles: 20_000, days: 365, seed: 42, end: end))
    static let events = shop.events(forVisitors: 0..<20_000)

    @Test("the same seed gives the same data; another seed does not")
    func determinism() {
        let a = DemoShop(.init(profiles: 300, seed: 7, end: Self.end)).events(forVisitors: 0..<300)
        let b = DemoShop(.init(profiles: 300, seed: 7, end: Self.end)).events(forVisitors: 0..<300)
        let c = DemoShop(.init(profiles: 300, seed: 8, end: Self.end)).events(forVisitors: 0..<300)
        #expect(a == b)
        #expect(a != c)
        #expect(a.count > 2_000)
    }

    @Test("every event lies inside the window, message ids are unique, and every event identifies someone")
    func wellFormed() {
        let start = Self.shop.start
        #expect(Self.events.allSatisfy { $0.timestamp >= start && $0.timestamp <= Self.end })
        #expect(Set(Self.events.map(\.messageId)).count == Self.events.count)
        #expect(Self.events.allSatisfy { $0.userId != nil || $0.anonymousId != nil })
        #expect(zip(Self.events, Self.events.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
    }

    @Test("sign-up share matches the channel-weighted model")
    func signupShare() {
        let channels = [(20.0, 1.1), (25, 1.0), (15, 0.8), (10, 0.8), (8, 1.4), (7, 1.0), (5, 1.6), (10, 1.0)]
        let expected = channels.map { $0.0 * min(0.95, 0.30 * $0.1) }.reduce(0, +) / channels.map(\.0).reduce(0, +)
        let signups = Double(Self.events.count(where: { $0.event == "Signed Up" })) / 20_000
        #expect(abs(signups - expected) < 0.015, "sign-up share \(signups) vs \(expected)")
    }

    @Test("repeat purchases follow a gamma-mixed, drop-out process: many one-time buyers, a long over-dispersed tail")
    func repeatPurchases() {
        var ordersByCustomer: [String: Int] = [:]
        for e in Self.events where e.event == "Order Completed" { ordersByCustomer[e.userId!, default: 0] += 1 }
        let signups = Self.events.count(where: { $0.event == "Signed Up" })
        let counts = Array(ordersByCustomer.values)
        let buyerShare = Double(counts.count) / Double(signups)
        let oneTime = Double(counts.count(where: { $0 == 1 })) / Double(counts.count)
        let repeats = counts.map { Double($0 - 1) }
        let mean = repeats.reduce(0, +) / Double(repeats.count)
        let variance = repeats.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(repeats.count - 1)
        #expect(abs(buyerShare - 0.45) < 0.03, "buyer share \(buyerShare)")
        #expect((0.35...0.75).contains(oneTime), "one-time buyers \(oneTime)")
        #expect((0.5...2.0).contains(mean), "mean repeats \(mean)")
        #expect(variance > 1.5 * mean, "over-dispersion: variance \(variance) vs mean \(mean)")
        #expect((counts.max() ?? 0) >= 8)
    }

    @Test("orders are well-formed Ecommerce v2 events; coupons and refunds come in plausible shares")
    func orders() {
        let orders = Self.events.filter { $0.event == "Order Completed" }
        #expect(orders.allSatisfy { o in
            o.properties["order_id"]?.stringValue != nil && (o.properties["revenue"]?.doubleValue ?? 0) > 0
                && !(o.properties["products"]?.arrayValue ?? []).isEmpty && o.properties["currency"] == "USD"
        })
        let couponShare = Double(orders.count(where: { $0.properties["coupon"] != nil })) / Double(orders.count)
        let refundShare = Double(Self.events.count(where: { $0.event == "Order Refunded" })) / Double(orders.count)
        #expect((0.15...0.35).contains(couponShare), "coupon share \(couponShare)")
        #expect(abs(refundShare - 0.04) < 0.012, "refund share \(refundShare)")
    }

    @Test("people who use two devices log in on the second, linking its anonymous history")
    func secondDevices() {
        let identifies = Self.events.filter { $0.type == .identify }
        let logins = identifies.filter { $0.traits["first_name"] == nil }
        #expect(!logins.isEmpty)
        let firstAnon = Dictionary(grouping: identifies, by: { $0.userId! }).filter { $0.value.count > 1 }
        #expect(firstAnon.values.contains { Set($0.compactMap(\.anonymousId)).count == 2 })
    }
}
