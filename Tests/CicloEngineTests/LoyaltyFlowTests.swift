import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import Testing

@Suite("Loyalty from the event stream: orders, refunds, actions, referrals, surveys")
struct LoyaltyFlowTests {
    struct Shop {
        let store: Store
        let clock: ManualClock
        let ws: Int64
        var n = 0

        mutating func send(_ name: String?, user: String, type: EventType = .track, properties: JSONValue = [:], traits: JSONValue = [:],
                           context: JSONValue = [:]) async throws {
            n += 1
            let now = clock.now()
            _ = try await store.appendEvents([Event(workspaceId: ws, messageId: "m-\(n)", type: type, event: name, userId: user,
                                                    properties: properties, traits: traits, context: context, timestamp: now, receivedAt: now)])
        }

        func process() async throws {
            try await ProfileProcessor(store: store, clock: clock, logger: TestDatabase.quietLogger, hooks: [LoyaltyHook(store: store, clock: clock).hook])
                .catchUp(workspaceId: ws)
        }

        func profile(_ user: String) async throws -> Int64 {
            try #require(try await store.findProfiles(workspaceId: ws, identifier: Identifier(.userId, user)).first?.id)
        }
    }

    static func shop(_ engine: Dialect, program: JSONValue, _ body: (inout Shop) async throws -> Void) async throws {
        let clock = ManualClock(ISO8601.parse("2027-05-01T10:00:00Z")!)
        try await TestDatabase.withStore(engine, clock: clock) { store in
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            try await store.applyLoyaltyProgram(workspaceId: ws, program)
            var shop = Shop(store: store, clock: clock, ws: ws)
            try await body(&shop)
        }
    }

    @Test("one order sent three times with different message ids earns once; its refund claws back once", arguments: TestDatabase.engines)
    func orderStream(engine: Dialect) async throws {
        try await Self.shop(engine, program: ["pendingDays": 0]) { shop in
            for _ in 0..<3 { try await shop.send("Order Completed", user: "u1", properties: ["order_id": "O-9", "revenue": 80]) }
            try await shop.process()
            let id = try await shop.profile("u1")
            #expect(try await shop.store.loyaltyMember(workspaceId: shop.ws, profileId: id).account.balance == 80)
            for _ in 0..<2 { try await shop.send("Order Refunded", user: "u1", properties: ["order_id": "O-9", "refund_id": "RF-1", "total": 40]) }
            try await shop.send("Order Refunded", user: "u1", properties: ["order_id": "unknown-order", "total": 40])
            try await shop.send("Signed Up", user: "u1")
            try await shop.send("Signed Up", user: "u1")
            try await shop.process()
            let view = try await shop.store.loyaltyMember(workspaceId: shop.ws, profileId: id)
            #expect(view.history.filter { $0.kind == "earn_order" }.count == 1)
            #expect(view.history.filter { $0.kind == "clawback" }.map(\.points) == [-40])
            #expect(view.history.filter { $0.kind == "earn_action" }.map(\.points) == [50])  // sign-up: once ever
            #expect(view.account.balance == 90)
            #expect(try await shop.store.verifyLoyalty(workspaceId: shop.ws, repair: false).discrepancies.isEmpty)

            // Segments read the standing the ledger mirrors onto the profile, in SQL and in memory alike.
            try await shop.send("NPS Submitted", user: "u1", properties: ["score": 9])
            try await shop.process()
            let condition = try Condition.parse(JSONValue.parse("""
                {"all": [{"attribute": "loyalty_balance", "op": "gte", "value": 90}, {"attribute": "loyalty_tier", "op": "equals", "value": "bronze"},
                         {"attribute": "nps_category", "op": "equals", "value": "promoter"}]}
                """))
            #expect(try await shop.store.matchingProfileIds(workspaceId: shop.ws, condition: condition) == [id])
            let detail = try #require(try await shop.store.profileDetail(workspaceId: shop.ws, id: id))
            #expect(detail.profile.loyalty.balance == 100 && detail.profile.loyalty.toNextTier == 460)  // the answer itself earned 10
            #expect(ConditionEvaluator.evaluate(condition, ConditionContext(profile: detail.profile, history: [], now: shop.clock.now().epochMilliseconds)).matches)
        }
    }

    @Test("a referral through the link pends through the review period and completes; a refund voids another; the sixth is over the allowance",
          arguments: TestDatabase.engines)
    func referrals(engine: Dialect) async throws {
        try await Self.shop(engine, program: ["pendingDays": 30, "referralAllowance": 5, "referrerPoints": 200, "refereePoints": 100]) { shop in
            try await shop.send(nil, user: "ann", type: .identify, traits: ["email": "ann@example.com"])
            try await shop.process()
            let ann = try await shop.profile("ann")
            let code = try await shop.store.withLedger(workspaceId: shop.ws) { try await $0.referralCode(for: ann) }
            for i in 0..<7 {
                try await shop.send(nil, user: "friend\(i)", type: .identify, traits: ["email": .string("friend\(i)@example.com")],
                                    context: ["page": ["url": .string("https://shop.example/?ref=\(code)")], "ip": .string("198.51.100.\(i)")])
            }
            try await shop.send(nil, user: "ann", type: .identify, traits: ["email": "ann@example.com", "referral_code": .string(code)])
            try await shop.process()
            let all = try await shop.store.referrals(workspaceId: shop.ws)
            #expect(all.filter { $0.status == "pending" }.count == 5)
            #expect(all.filter { $0.reason == "allowance_reached" }.count == 2)
            let own = all.first { $0.refereeId == ann }
            #expect(own == nil || own?.reason == "self_referral")

            try await shop.send("Order Completed", user: "friend0", properties: ["order_id": "F0", "revenue": 50])
            try await shop.send("Order Completed", user: "friend1", properties: ["order_id": "F1", "revenue": 50])
            try await shop.process()
            shop.clock.advance(by: 20 * 86_400)
            try await shop.send("Order Refunded", user: "friend1", properties: ["order_id": "F1"])
            try await shop.process()
            #expect(try await shop.store.runLoyaltyJobs(workspaceId: shop.ws).referralsCompleted == 0)
            shop.clock.advance(by: 11 * 86_400)
            #expect(try await shop.store.runLoyaltyJobs(workspaceId: shop.ws).referralsCompleted == 1)
            let after = try await shop.store.referrals(workspaceId: shop.ws)
            #expect(after.first { $0.orderId == "F0" }?.status == "completed")
            #expect(after.first { $0.orderId == "F1" }?.status == "voided")
            let annView = try await shop.store.loyaltyMember(workspaceId: shop.ws, profileId: ann)
            #expect(annView.history.filter { $0.kind == "earn_referral" }.map(\.points) == [200])
            #expect(try await shop.store.runLoyaltyJobs(workspaceId: shop.ws).referralsCompleted == 0)
        }
    }

    @Test("a survey 29 days after the last send is dropped; after 30 days it goes", arguments: TestDatabase.engines)
    func surveyThrottle(engine: Dialect) async throws {
        try await Self.shop(engine, program: [:]) { shop in
            let ledger = { @Sendable (s: Store, ws: Int64) async throws -> Bool in
                try await s.claimSurveySend(workspaceId: ws, profileId: 42)
            }
            let first = try await ledger(shop.store, shop.ws)
            shop.clock.advance(by: 29 * 86_400)
            let day29 = try await ledger(shop.store, shop.ws)
            shop.clock.advance(by: 86_400)
            let day30 = try await ledger(shop.store, shop.ws)
            #expect(first && !day29 && day30)
        }
    }

    @Test("reviews are aggregated per product and per the reviewer's persona", arguments: TestDatabase.engines)
    func reviews(engine: Dialect) async throws {
        try await Self.shop(engine, program: [:]) { shop in
            try await shop.store.savePersona(workspaceId: shop.ws, Persona(key: "fan", name: "Fan", priority: 1, condition: .trait("hint", ValueTest(.equals, "fan"))))
            try await shop.send(nil, user: "a", type: .identify, traits: ["hint": "fan"])
            try await shop.send(nil, user: "b", type: .identify, traits: ["hint": "other"])
            try await shop.send("Review Submitted", user: "a", properties: ["product_id": "p1", "rating": 5])
            try await shop.send("Review Submitted", user: "b", properties: ["product_id": "p1", "rating": 3])
            try await shop.send("Review Submitted", user: "b", properties: ["product_id": "p2", "rating": "great"])
            try await ProfileProcessor(store: shop.store, clock: shop.clock, logger: TestDatabase.quietLogger,
                                       hooks: [LiveAudience(store: shop.store, clock: shop.clock).hook]).catchUp(workspaceId: shop.ws)
            let overall = try await shop.store.productReviews(workspaceId: shop.ws)
            #expect(overall.first == ProductReviews(productId: "p1", persona: nil, reviews: 2, averageRating: 4))
            #expect(overall.first { $0.productId == "p2" }?.averageRating == 0, "a rating that is not a number does not count")
            let byPersona = try await shop.store.productReviews(workspaceId: shop.ws, byPersona: true).filter { $0.productId == "p1" }
            #expect(byPersona.map(\.persona) == ["fan", "none"] && byPersona.map(\.averageRating) == [5, 3])
        }
    }
}
