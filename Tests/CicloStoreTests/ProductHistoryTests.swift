import CicloCore
@testable import CicloStore
import CicloTesting
import Foundation
import SQLKit
import Testing

/// The interaction reader pages along the (name, time) index: pages of any size return every interaction once,
/// events sharing a timestamp across a page boundary included; `limit` keeps the newest of each kind.
@Suite("Product history")
struct ProductHistoryTests {
    static let base: Int64 = 1_800_000_000_000

    /// 9 views (four share one timestamp), 3 adds, 2 orders with 2 and 1 products, one person's events unassigned.
    static func seed(_ store: Store, workspace: Int64) async throws {
        func event(_ id: String, _ name: String, _ at: Int64, _ properties: JSONValue, user: String = "u1") -> Event {
            Event(workspaceId: workspace, messageId: id, type: .track, event: name, userId: user, properties: properties,
                  timestamp: Date(epochMilliseconds: base + at), receivedAt: Date(epochMilliseconds: base + at))
        }
        var events: [Event] = []
        for i in 0..<9 {
            let at: Int64 = i < 3 ? 500 : Int64(i) * 100
            events.append(event("v\(i)", "Product Viewed", at, ["product_id": .string("P\(i % 4)"), "name": .string("View name \(i)")],
                                user: i == 8 ? "u2" : "u1"))
        }
        for i in 0..<3 { events.append(event("a\(i)", "Product Added", 1_000 + Int64(i), ["sku": .string("P\(i)")])) }
        events.append(event("o1", "Order Completed", 2_000, ["products": [["product_id": "P1", "name": "Order name"], ["sku": "P3"]]]))
        events.append(event("o2", "Order Completed", 2_100, ["products": [["product_id": "P1"]]], user: "u2"))
        events.append(event("stranger", "Product Viewed", 3_000, ["product_id": "P9"], user: "u3"))
        _ = try await store.appendEvents(events)
        try await store.database.write { session in
            try await session.sql.raw("""
                UPDATE events SET profile_id = CASE WHEN user_id = 'u1' THEN 1 ELSE 2 END
                WHERE workspace_id = \(bind: workspace) AND user_id IN ('u1', 'u2')
                """).run()
        }
    }

    static func signature(_ history: ProductHistory) -> [String] {
        history.interactions.map { "\($0.person) \($0.product) \($0.kind.rawValue) \($0.time - base)" }.sorted()
    }

    @Test("pages of 1, 2 and 20,000 read the same interactions, each once", arguments: TestDatabase.engines)
    func pagesAgree(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            let ws = try await store.workspace(named: try await store.createWorkspace(named: "shop").workspace).id
            try await Self.seed(store, workspace: ws)

            let whole = try await store.productHistory(workspaceId: ws, since: 0)
            let single = try await store.productHistory(workspaceId: ws, since: 0, page: 1)
            let pairs = try await store.productHistory(workspaceId: ws, since: 0, page: 2)

            #expect(whole.interactions.count == 9 + 3 + 3)
            #expect(Self.signature(single) == Self.signature(whole) && Self.signature(pairs) == Self.signature(whole))
            #expect(whole.interactions.filter { $0.time == Self.base + 500 && $0.kind == .view }.count == 4)
            #expect(whole.baskets.map { $0.sorted() }.sorted { $0.count > $1.count } == [["P1", "P3"], ["P1"]])
            // Each field comes from the newest event that has it: the later order line names no product.
            #expect(whole.seen["P1"]?.name == "Order name" && single.seen["P1"]?.name == "Order name")
            #expect(whole.seen["P2"]?.name == "View name 6" && pairs.seen["P0"]?.name == "View name 8")
            #expect(whole.seen["P9"] == nil && whole.unreadable == 0)
        }
    }

    @Test("limit keeps the newest of each kind; since and one person narrow the read", arguments: TestDatabase.engines)
    func narrows(engine: Dialect) async throws {
        try await TestDatabase.withStore(engine) { store in
            let ws = try await store.workspace(named: try await store.createWorkspace(named: "shop").workspace).id
            try await Self.seed(store, workspace: ws)

            let newest = try await store.productHistory(workspaceId: ws, since: 0, limit: 2, page: 1)
            let recent = try await store.productHistory(workspaceId: ws, since: Self.base + 700, page: 2)
            let second = try await store.productHistory(workspaceId: ws, since: 0, profileId: 2, page: 1)

            #expect(Self.signature(newest) == ["1 P1 add 1001", "1 P2 add 1002", "1 P1 purchase 2000", "1 P3 purchase 2000",
                                                "1 P3 view 700", "2 P0 view 800", "2 P1 purchase 2100"].sorted())
            #expect(recent.interactions.filter { $0.kind == .view }.map(\.time).sorted() == [Self.base + 700, Self.base + 800])
            #expect(Self.signature(second) == ["2 P0 view 800", "2 P1 purchase 2100"])
        }
    }

    @Test("stored properties that do not parse are counted and left out")
    func unreadable() async throws {
        try await TestDatabase.withStore(.sqlite) { store in
            let ws = try await store.workspace(named: try await store.createWorkspace(named: "shop").workspace).id
            try await Self.seed(store, workspace: ws)
            try await store.database.write { session in
                try await session.sql.raw("UPDATE events SET properties = '{\"product_id\": ' WHERE message_id = 'v7'").run()
            }

            let history = try await store.productHistory(workspaceId: ws, since: 0, page: 2)

            #expect(history.unreadable == 1 && history.interactions.count == 14)
        }
    }
}
