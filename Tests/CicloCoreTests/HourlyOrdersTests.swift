import Foundation
import Testing

@testable import CicloCore

@Suite("Order rollups and condition summaries")
struct HourlyOrdersTests {
    @Test("orders are repeat only after a first one, duplicates add nothing, refunds take back at most the order")
    func effects() {
        var computed = ComputedAttributes()
        func order(_ id: String, _ revenue: Double, at t: Int64) -> Event {
            Event(workspaceId: 1, messageId: "m-\(id)-\(t)", type: .track, event: "Order Completed", userId: "u",
                  properties: ["order_id": .string(id), "revenue": .double(revenue)], timestamp: Date(epochMilliseconds: t),
                  receivedAt: Date(epochMilliseconds: t))
        }
        let refund = Event(workspaceId: 1, messageId: "r", type: .track, event: "Order Refunded", userId: "u",
                           properties: ["order_id": "b", "revenue": 500], timestamp: Date(epochMilliseconds: 7_300_000), receivedAt: Date())
        let effects = [order("a", 40, at: 1_000), order("b", 60, at: 3_700_000), order("b", 60, at: 3_800_000), refund].compactMap { event in
            computed.apply(event).map { (event.timestamp.epochMilliseconds, $0) }
        }
        #expect(effects.map(\.1) == [.order(revenue: 40, repeat: false), .order(revenue: 60, repeat: true), .refund(amount: 60)])
        let hours = HourlyOrders.rollUp(effects)
        #expect(hours == [HourlyOrders(hour: 0, orders: 1, revenue: 40), HourlyOrders(hour: 1, orders: 1, repeatOrders: 1, revenue: 60),
                          HourlyOrders(hour: 2, refunds: 60)])
    }

    @Test("conditions read as words")
    func summaries() throws {
        let condition = try Condition.parse(JSONValue.parse("""
            {"all": [{"attribute": "order_count", "op": "gte", "value": 2},
                     {"any": [{"event": "Product Viewed", "within": {"days": 7}}, {"trait": "plan", "op": "equals", "value": "pro"}]},
                     {"attribute": "last_order_at", "op": "before", "ago": {"days": 90}}]}
            """))
        #expect(condition.summary == #"order count ≥ 2 and (did Product Viewed in the last 7 days or trait plan is "pro") and last order at more than 90 days ago"#)
        #expect(Condition.all([]).summary == "everyone")
    }

    @Test("indented JSON keeps short scalar lists on one line and reads back equal")
    func pretty() throws {
        let value: JSONValue = ["b": [1, 2, 3], "a": ["x": "y", "z": [["k": true]]], "e": [:]]
        let text = value.prettyJSONText
        #expect(text.contains("\"b\": [1,2,3]"))
        #expect(text.hasPrefix("{\n  \"a\": {"))
        #expect(try JSONValue.parse(text) == value)
    }
}
