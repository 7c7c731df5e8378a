import CicloCore
import CicloStore
import CicloTesting
import Foundation
import Testing

@Suite("Loyalty over time: pending points, lot expiry, inactivity, tiers, birthdays")
struct LoyaltyTimeTests {
    static func ms(_ iso: String) -> Int64 { ISO8601.parse(iso)!.epochMilliseconds }

    @Test("lots A (2027-03-31), B (2027-01-31), C (never): 150 redeemed on 2027-01-10 takes B then 50 of A; on 2027-04-01 the rest of A expires once",
          arguments: TestDatabase.engines)
    func spendingAndExpiry(engine: Dialect) async throws {
        try await LoyaltyFixture.with(engine, program: ["pendingDays": 0], at: "2027-01-05T09:00:00Z") { f in
            for (points, expiry) in [(100, Self.ms("2027-04-01T00:00:00Z")), (100, Self.ms("2027-02-01T00:00:00Z"))] as [(Int, Int64?)] {
                _ = try await f.ledger { try await $0.adjust(profileId: 1, points: points, reason: "lot", actor: "t", idempotencyKey: nil, expiresAt: .some(expiry)) }
            }
            _ = try await f.ledger { try await $0.adjust(profileId: 1, points: 100, reason: "lot", actor: "t", idempotencyKey: nil, expiresAt: .some(nil)) }
            f.set("2027-01-10T10:00:00Z")
            _ = try await f.ledger { try await $0.redeem(profileId: 1, reward: nil, points: 150, idempotencyKey: "spend") }
            let lots = try await f.member(1).lots.sorted { $0.id < $1.id }
            #expect(lots.map(\.remaining) == [50, 100])  // A keeps 50, B is spent, C is whole
            f.set("2027-04-01T00:00:00Z")
            let first = try await f.store.runLoyaltyJobs(workspaceId: f.ws)
            let second = try await f.store.runLoyaltyJobs(workspaceId: f.ws)
            #expect(first.expiredPoints == 50 && second.expiredPoints == 0)
            #expect(try await f.entries(1, kind: "expire").map(\.points) == [-50])
            #expect(try await f.member(1).account.balance == 100)
            try await f.expectConsistent()
        }
    }

    @Test("pending for 30 days: not spendable; a refund on day 20 cancels it; otherwise spendable on day 30 with expiry counted from then",
          arguments: TestDatabase.engines)
    func pendingPeriod(engine: Dialect) async throws {
        try await LoyaltyFixture.with(engine, program: ["pendingDays": 30, "expiryDays": 365], at: "2027-01-01T12:00:00Z") { f in
            let now = Self.ms("2027-01-01T12:00:00Z")
            try await f.ledger { _ = try await $0.earn(order: "P-1", properties: ["revenue": 40], profileId: 2, at: now) }
            try await f.ledger { _ = try await $0.earn(order: "P-2", properties: ["revenue": 60], profileId: 2, at: now) }
            #expect(try await f.member(2).account.pending == 100)
            await #expect(throws: InsufficientPoints.self) { try await f.ledger { try await $0.redeem(profileId: 2, reward: nil, points: 10, idempotencyKey: "early") } }
            f.set("2027-01-21T12:00:00Z")
            try await f.ledger { _ = try await $0.clawback(order: "P-1", refundKey: "day20", amount: nil) }
            #expect(try await f.member(2).account.pending == 60)
            f.set("2027-01-31T12:00:00Z")
            #expect(try await f.store.runLoyaltyJobs(workspaceId: f.ws).matured == 1)
            let view = try await f.member(2)
            #expect(view.account.balance == 60 && view.account.pending == 0)
            #expect(view.lots.first?.expiresAt == Self.ms("2028-02-01T00:00:00Z"))
            try await f.expectConsistent()
        }
    }

    @Test("Europe/Rome, 365 days: earned 2027-01-15 10:00 is spendable through 2028-01-15 23:59:59 and expired at 2028-01-16 00:00 local",
          arguments: TestDatabase.engines)
    func timeZoneExpiry(engine: Dialect) async throws {
        try await LoyaltyFixture.with(engine, program: ["pendingDays": 0, "timeZone": "Europe/Rome"], at: "2027-01-15T10:00:00+01:00") { f in
            try await f.ledger { _ = try await $0.earn(order: "R-1", properties: ["revenue": 10], profileId: 3, at: f.store.clock.now().epochMilliseconds) }
            f.set("2028-01-15T23:59:59+01:00")
            _ = try await f.store.runLoyaltyJobs(workspaceId: f.ws)
            #expect(try await f.member(3).account.balance == 10)
            f.set("2028-01-16T00:00:00+01:00")
            #expect(try await f.store.runLoyaltyJobs(workspaceId: f.ws).expiredPoints == 10)
            #expect(try await f.member(3).account.balance == 0)
        }
    }

    @Test("inactivity expiry switched on 2027-03-01 with 12 months: nobody expires before 2028-03-01", arguments: TestDatabase.engines)
    func inactivity(engine: Dialect) async throws {
        try await LoyaltyFixture.with(engine, program: ["pendingDays": 0, "expiryDays": nil, "inactivityMonths": 12, "inactivitySince": "2027-03-01T00:00:00Z"],
                                      at: "2026-01-10T10:00:00Z") { f in
            _ = try await f.ledger { try await $0.adjust(profileId: 4, points: 70, reason: "old", actor: "t", idempotencyKey: nil) }
            f.set("2028-02-29T12:00:00Z")
            #expect(try await f.store.runLoyaltyJobs(workspaceId: f.ws).inactive == 0)
            #expect(try await f.member(4).account.balance == 70)
            f.set("2028-03-01T00:00:00Z")
            #expect(try await f.store.runLoyaltyJobs(workspaceId: f.ws).inactive == 70)
            #expect(try await f.member(4).account.balance == 0)
            try await f.expectConsistent()
        }
    }

    @Test("Silver at 500 qualifying points: spending never demotes, a refund of the order re-evaluates at once, term end recomputes",
          arguments: TestDatabase.engines)
    func tiers(engine: Dialect) async throws {
        let program: JSONValue = ["pendingDays": 0, "tiers": [["key": "bronze", "threshold": 0], ["key": "silver", "threshold": 500]], "tierTermMonths": 12]
        try await LoyaltyFixture.with(engine, program: program, at: "2027-01-01T12:00:00Z") { f in
            let now = f.store.clock.now().epochMilliseconds
            try await f.ledger { _ = try await $0.earn(order: "T-1", properties: ["revenue": 500], profileId: 5, at: now) }
            #expect(try await f.member(5).account.tier == "silver")
            _ = try await f.ledger { try await $0.redeem(profileId: 5, reward: nil, points: 500, idempotencyKey: "all") }
            #expect(try await f.member(5).account.tier == "silver")
            try await f.ledger { _ = try await $0.clawback(order: "T-1", refundKey: "r", amount: 100) }
            #expect(try await f.member(5).account.tier == "bronze")

            // An old order replayed now counts in the window it fell in: outside it, no tier.
            try await f.ledger { _ = try await $0.earn(order: "T-old", properties: ["revenue": 600], profileId: 7, at: now - 400 * 86_400_000) }
            let old = try await f.member(7)
            #expect(old.account.tier == "bronze" && old.qualifyingPoints == 0)
            try await f.ledger { _ = try await $0.earn(order: "T-2", properties: ["revenue": 600], profileId: 6, at: now) }
            f.set("2027-12-31T12:00:00Z")
            _ = try await f.store.runLoyaltyJobs(workspaceId: f.ws)
            #expect(try await f.member(6).account.tier == "silver")
            f.set("2028-01-02T12:00:00Z")  // the term ended and the order left the 365-day window
            #expect(try await f.store.runLoyaltyJobs(workspaceId: f.ws).tiersChanged == 1)
            #expect(try await f.member(6).account.tier == "bronze")
        }
    }

    @Test("a birthday entered on 2027-06-01 as June 20 earns nothing in 2027 and once on 2028-06-20 however often the job runs",
          arguments: TestDatabase.engines)
    func birthday(engine: Dialect) async throws {
        try await LoyaltyFixture.with(engine, program: ["pendingDays": 0], at: "2027-06-01T09:00:00Z") { f in
            try await f.ledger { try await $0.noteBirthday(8, monthDay: "06-20") }
            f.set("2027-06-20T08:00:00Z")
            #expect(try await f.store.runLoyaltyJobs(workspaceId: f.ws).birthdays == 0)
            f.set("2028-06-20T08:00:00Z")
            #expect(try await f.store.runLoyaltyJobs(workspaceId: f.ws).birthdays == 1)
            f.set("2028-06-20T20:00:00Z")
            #expect(try await f.store.runLoyaltyJobs(workspaceId: f.ws).birthdays == 0)
            #expect(try await f.entries(8, kind: "earn_action").map(\.points) == [100])
        }
    }
}
