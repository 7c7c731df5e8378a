import CicloCore
import CicloStore
import CicloTesting
import Foundation
import Testing

@testable import CicloEngine

/// Issue 18, point 1: one definition of an order. The profile processor (Swift, `OrderEvent`) and the reports' SQL
/// (`OrderSQL`) pick the same orders and the same amounts from random streams with aliases, duplicates, text amounts,
/// product lines and refunds, on both engines.
@Suite("One order: Swift and SQL agree on which orders there are and what they are worth")
struct OrderAgreementTests {
    static func stream(seed: UInt64, workspaceId: Int64) -> [Event] {
        var rng = SeededRandom(seed: seed)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        var events: [Event] = []
        var orders: [[String]] = Array(repeating: [], count: 30)
        for i in 0..<900 {
            let person = Int(rng.next() % 30)
            var p: [String: JSONValue] = [:]
            let reuse = !orders[person].isEmpty && rng.chance(0.15)
            let id = reuse ? pick(orders[person]) : "o\(i)"
            if !reuse { orders[person].append(id) }
            switch rng.next() % 5 {
            case 0: p["order_id"] = .string(id)
            case 1: p["orderId"] = .string(id)
            case 2: p["checkout_id"] = .string(id)
            case 3: p["order_id"] = .int(Int64(100_000 + i))  // a number as the id
            default: break  // no id: the event is its own order
            }
            let amount = Double(rng.next() % 20_000) / 100
            switch rng.next() % 7 {
            case 0: p["revenue"] = .double(amount)
            case 1: p["total"] = .double(amount); p["revenue"] = "not a number"
            case 2: p["value"] = .int(Int64(amount))
            case 3: p["revenue"] = .string(String(amount))  // text is no amount: falls through to the lines or 0
            case 4: p["revenue"] = .double(-amount)  // never below zero
            default: break
            }
            if rng.chance(0.5) {
                p["products"] = .array((0..<Int(rng.next() % 3)).map { _ in
                    ["price": .double(Double(rng.next() % 5_000) / 100), "quantity": rng.chance(0.3) ? .int(Int64(rng.next() % 4)) : .null]
                } + (rng.chance(0.2) ? ["x", 7] : []))
            }
            let refund = rng.chance(0.1) && !orders[person].isEmpty
            events.append(Event(workspaceId: workspaceId, messageId: "m\(i)", type: .track, event: refund ? "Order Refunded" : "Order Completed",
                                userId: "u\(person)", properties: refund ? ["order_id": .string(pick(orders[person])), "total": .double(amount / 2)] : .object(p),
                                timestamp: start.addingTimeInterval(Double(i) * 60), receivedAt: start))
        }
        return events
    }

    @Test("on random streams the processor's orders and gross revenue equal the SQL's, person by person",
          arguments: TestDatabase.engines, [UInt64(1), 2, 3])
    func agree(engine: Dialect, seed: UInt64) async throws {
        try await TestDatabase.withStore(engine) { store in
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            _ = try await store.appendEvents(Self.stream(seed: seed, workspaceId: ws))
            try await ProfileProcessor(store: store, logger: TestDatabase.quietLogger, batchSize: 250).catchUp(workspaceId: ws)
            let sql = try await store.orderTotals(workspaceId: ws)
            let profiles = try await store.profilePage(workspaceId: ws, afterId: 0, limit: 1_000).map(\.0)
            #expect(profiles.count == 30)
            var compared = 0
            for p in profiles where p.computed.orderCount > 0 || sql[p.id] != nil {
                let s = sql[p.id] ?? (0, 0)
                #expect(p.computed.orderCount == s.orders, "profile \(p.id): Swift \(p.computed.orderCount) orders, SQL \(s.orders)")
                let gross = p.computed.totalRevenue + p.computed.refundedRevenue
                #expect(abs(gross - s.amount) < 0.005, "profile \(p.id): Swift \(gross), SQL \(s.amount)")
                compared += 1
            }
            #expect(compared == 30)
        }
    }

    @Test("the aliases and amounts as documented")
    func rules() {
        let read = { (p: JSONValue) in OrderEvent.read(.completed, p) }
        #expect(read(["orderId": "A", "order_id": "B"]).orderId == "B")
        #expect(read(["checkout_id": "C"]).orderId == "C" && read(["order_id": true]).orderId == nil)
        #expect(read(["revenue": 10, "total": 12]).amount == 10 && read(["total": 12, "value": 3]).amount == 12)
        #expect(read(["revenue": "19.99"]).amount == nil, "text is no amount")
        #expect(read(["products": [["price": 2.5, "quantity": 2], ["price": 1], "x"]]).amount == 6)
        #expect(read(["revenue": -5]).amount == 0)
        #expect(OrderEvent.read(.refunded, ["order_id": "A"]).amount == nil, "a refund stating nothing takes the rest")
    }
}
