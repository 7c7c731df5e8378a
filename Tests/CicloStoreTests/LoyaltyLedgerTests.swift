import CicloCore
import CicloStore
import CicloTesting
import SQLKit
import Foundation
import Testing

/// A store with a loyalty program on a manual clock, for ledger tests.
struct LoyaltyFixture {
    let store: Store
    let clock: ManualClock
    let ws: Int64

    static func with(_ engine: Dialect, program: JSONValue = [:], at start: String = "2027-01-01T12:00:00Z",
                     _ body: (LoyaltyFixture) async throws -> Void) async throws {
        let clock = ManualClock(ISO8601.parse(start)!)
        try await TestDatabase.withStore(engine, clock: clock) { store in
            _ = try await store.createWorkspace(named: "shop")
            let ws = try await store.workspace(named: "shop").id
            try await store.applyLoyaltyProgram(workspaceId: ws, program)
            try await Self.addPeople(store, workspaceId: ws, ids: 1...200)
            try await body(LoyaltyFixture(store: store, clock: clock, ws: ws))
        }
    }

    /// Live profiles with these ids: the ledger only opens accounts for people of its own workspace.
    static func addPeople(_ store: Store, workspaceId: Int64, ids: ClosedRange<Int64>) async throws {
        try await store.database.write { session in
            for id in ids {
                try await session.sql.raw("""
                    INSERT INTO profiles (id, workspace_id, created_at, updated_at) VALUES (\(bind: id), \(bind: workspaceId), 0, 0)
                    """).run()
            }
            if session.dialect == .postgres {
                try await session.sql.raw("SELECT setval(pg_get_serial_sequence('profiles', 'id'), \(bind: ids.upperBound))").run()
            }
        }
    }

    func ledger<T: Sendable>(_ body: @Sendable (LoyaltyLedger) async throws -> T) async throws -> T {
        try await store.withLedger(workspaceId: ws, body)
    }

    func set(_ iso: String) { clock.set(ISO8601.parse(iso)!) }

    func member(_ id: Int64) async throws -> LoyaltyMemberView { try await store.loyaltyMember(workspaceId: ws, profileId: id) }

    func entries(_ id: Int64, kind: String) async throws -> [LoyaltyEntry] {
        try await member(id).history.filter { $0.kind == kind }
    }

    /// The caches agree with the ledger, and the ledger with the lots.
    func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let check = try await store.verifyLoyalty(workspaceId: ws, repair: false)
        #expect(check.discrepancies.isEmpty, "\(check.discrepancies)", sourceLocation: sourceLocation)
    }
}

@Suite("Loyalty ledger: idempotent earning, serialised spending, proportional refunds")
struct LoyaltyLedgerTests {
    @Test("the same order three times, two at once: one earn entry, and the ledger equals the cached balance", arguments: TestDatabase.engines)
    func idempotentEarn(engine: Dialect) async throws {
        try await LoyaltyFixture.with(engine, program: ["pendingDays": 0]) { f in
            let order: JSONValue = ["order_id": "A-1", "revenue": 120]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 { group.addTask { _ = try await f.ledger { try await $0.earn(order: "A-1", properties: order, profileId: 7, at: f.store.clock.now().epochMilliseconds) } } }
                try await group.waitForAll()
            }
            let third = try await f.ledger { try await $0.earn(order: "A-1", properties: order, profileId: 7, at: 0) }
            #expect(third == nil)
            #expect(try await f.entries(7, kind: "earn_order").count == 1)
            #expect(try await f.member(7).account.balance == 120)
            try await f.expectConsistent()
        }
    }

    @Test("balance 100, 20 concurrent redemptions of 100: one wins, 19 get the shortfall; the winner's key replays its answer",
          arguments: TestDatabase.engines)
    func concurrentRedemptions(engine: Dialect) async throws {
        try await LoyaltyFixture.with(engine) { f in
            _ = try await f.ledger { try await $0.adjust(profileId: 3, points: 100, reason: "welcome", actor: "test", idempotencyKey: nil) }
            let outcomes = try await withThrowingTaskGroup(of: (String, LoyaltyRedemption?).self) { group in
                for i in 0..<20 {
                    group.addTask {
                        do {
                            return ("key-\(i)", try await f.ledger { try await $0.redeem(profileId: 3, reward: nil, points: 100, idempotencyKey: "key-\(i)") })
                        } catch let short as InsufficientPoints {
                            #expect(short.shortfall == 100)
                            return ("key-\(i)", nil)
                        }
                    }
                }
                return try await group.reduce(into: [(String, LoyaltyRedemption?)]()) { $0.append($1) }
            }
            let winners = outcomes.filter { $0.1 != nil }
            #expect(winners.count == 1)
            #expect(try await f.member(3).account.balance == 0)
            let (key, first) = try #require(winners.first)
            let again = try await f.ledger { try await $0.redeem(profileId: 3, reward: nil, points: 100, idempotencyKey: key) }
            #expect(again.entryId == first?.entryId && again.replayed && again.points == 100)
            #expect(try await f.entries(3, kind: "redeem").count == 1)
            try await f.expectConsistent()
        }
    }

    @Test("earned 100 on 200.00; refunds of 50 then 150 take 25 then 75; a replayed refund takes nothing", arguments: TestDatabase.engines)
    func partialRefunds(engine: Dialect) async throws {
        try await LoyaltyFixture.with(engine, program: ["pendingDays": 0, "pointsPerUnit": 0.5]) { f in
            let now = f.store.clock.now().epochMilliseconds
            #expect(try await f.ledger { try await $0.earn(order: "B-1", properties: ["order_id": "B-1", "revenue": 200], profileId: 4, at: now) } == 100)
            #expect(try await f.ledger { try await $0.clawback(order: "B-1", refundKey: "r1", amount: 50) } == 25)
            #expect(try await f.ledger { try await $0.clawback(order: "B-1", refundKey: "r2", amount: 150) } == 75)
            #expect(try await f.ledger { try await $0.clawback(order: "B-1", refundKey: "r2", amount: 150) } == nil)
            #expect(try await f.ledger { try await $0.clawback(order: "B-1", refundKey: "r3", amount: 10) } == 0)
            let taken = try await f.entries(4, kind: "clawback").map(\.points)
            #expect(taken.sorted() == [-75, -25, 0])
            #expect(try await f.member(4).account.balance == 0)
            await #expect(throws: CicloError.self) { try await f.ledger { try await $0.clawback(order: "nope", refundKey: "x", amount: 5) } }
            try await f.expectConsistent()
        }
    }

    @Test("earn 50, redeem 50, full refund: a deficit of 50 that a later 30 reduces to 20; clamped at zero the clawback records 0",
          arguments: TestDatabase.engines)
    func negativePolicy(engine: Dialect) async throws {
        for policy in ["allow-deficit", "clamp-at-zero"] {
            try await LoyaltyFixture.with(engine, program: ["pendingDays": 0, "negativePolicy": .string(policy)]) { f in
                let now = f.store.clock.now().epochMilliseconds
                try await f.ledger { _ = try await $0.earn(order: "C-1", properties: ["revenue": 50], profileId: 5, at: now) }
                _ = try await f.ledger { try await $0.redeem(profileId: 5, reward: nil, points: 50, idempotencyKey: "k") }
                try await f.ledger { _ = try await $0.clawback(order: "C-1", refundKey: "full", amount: nil) }
                if policy == "allow-deficit" {
                    #expect(try await f.member(5).account.balance == -50)
                    try await f.ledger { _ = try await $0.earn(order: "C-2", properties: ["revenue": 30], profileId: 5, at: now) }
                    #expect(try await f.member(5).account.balance == -20)
                    await #expect(throws: InsufficientPoints.self) { try await f.ledger { try await $0.redeem(profileId: 5, reward: nil, points: 1, idempotencyKey: "k2") } }
                } else {
                    #expect(try await f.entries(5, kind: "clawback").map(\.points) == [0])
                    #expect(try await f.member(5).account.balance == 0)
                }
                try await f.expectConsistent()
            }
        }
    }

    @Test("a reversed redemption gives the points back once, expiring with the earliest lot it used, and does not count for tiers",
          arguments: TestDatabase.engines)
    func reversal(engine: Dialect) async throws {
        try await LoyaltyFixture.with(engine, program: ["pendingDays": 0, "expiryDays": 30]) { f in
            let now = f.store.clock.now().epochMilliseconds
            try await f.ledger { _ = try await $0.earn(order: "D-1", properties: ["revenue": 80], profileId: 6, at: now) }
            let qualifyingBefore = try await f.member(6).qualifyingPoints
            let redemption = try await f.ledger { try await $0.redeem(profileId: 6, reward: nil, points: 60, idempotencyKey: "r") }
            #expect(try await f.ledger { try await $0.reverse(redemption: redemption.entryId, reason: "cancelled", actor: "test") } == 80)
            #expect(try await f.ledger { try await $0.reverse(redemption: redemption.entryId, reason: "cancelled", actor: "test") } == 80)
            let view = try await f.member(6)
            let earliest = try #require(view.lots.first { $0.points == 80 }?.expiresAt)
            #expect(view.lots.first { $0.points == 60 }?.expiresAt == earliest)
            #expect(view.qualifyingPoints == qualifyingBefore)
            await #expect(throws: CicloError.self) { try await f.ledger { try await $0.reverse(redemption: 999_999, reason: nil, actor: nil) } }
            try await f.expectConsistent()
        }
    }

    @Test("a reward capped at half an order needs the order total and refuses a smaller order", arguments: TestDatabase.engines)
    func orderShareCap(engine: Dialect) async throws {
        let program: JSONValue = ["pendingDays": 0, "rewards": [["key": "10off", "name": "10 off", "cost": 100, "kind": "amount-off", "value": 10, "maxOrderShare": 0.5]]]
        try await LoyaltyFixture.with(engine, program: program) { f in
            _ = try await f.ledger { try await $0.adjust(profileId: 9, points: 300, reason: "gift", actor: "t", idempotencyKey: nil) }
            await #expect(throws: CicloError.self) { try await f.ledger { try await $0.redeem(profileId: 9, reward: "10off", points: nil, idempotencyKey: "a") } }
            do {
                _ = try await f.ledger { try await $0.redeem(profileId: 9, reward: "10off", points: nil, idempotencyKey: "b", orderTotal: 15) }
                Issue.record("a 10 reward on a 15 order is over half of it")
            } catch let error as CicloError {
                #expect(error.code == "order_share_exceeded")
            }
            let ok = try await f.ledger { try await $0.redeem(profileId: 9, reward: "10off", points: nil, idempotencyKey: "c", orderTotal: 20) }
            #expect(ok.points == 100 && ok.coupon != nil)
            #expect(try await f.entries(9, kind: "redeem").count == 1)
        }
    }
}
