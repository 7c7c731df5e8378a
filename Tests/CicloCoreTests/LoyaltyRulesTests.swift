import CicloCore
import Foundation
import Testing

@Suite("Loyalty rules: points, refunds, spending order, NPS, referral guards")
struct LoyaltyRulesTests {
    @Test("1 point per 1.00: 49.95 earns 49 on floor and 50 on half-up; three lines of 0.50 are rounded once on 1.50")
    func rounding() throws {
        let order: JSONValue = ["order_id": "o1", "revenue": 49.95]
        #expect(LoyaltyProgram(rounding: .floor).orderPoints(order).points == 49)
        #expect(LoyaltyProgram(rounding: .halfUp).orderPoints(order).points == 50)
        let lines: JSONValue = ["order_id": "o2", "products": [["price": 0.5], ["price": 0.5], ["price": 0.5]]]
        #expect(LoyaltyProgram(rounding: .floor).orderPoints(lines) == (1.5, 1))
        #expect(LoyaltyProgram(rounding: .halfUp).orderPoints(lines).points == 2)
    }

    @Test("shipping, tax, gift cards and discounts are left out; multipliers apply per line; the minimum order holds")
    func eligibleAmount() {
        let order: JSONValue = ["products": [["price": 40, "quantity": 2, "category": "Shoes"], ["price": 25, "category": "Gift Cards"]],
                                "shipping": 5, "tax": 8, "discount": 10]
        let program = LoyaltyProgram(categoryMultipliers: ["Shoes": 2])
        let (eligible, points) = program.orderPoints(order)
        #expect(eligible == 70)
        #expect(points == 140)
        #expect(LoyaltyProgram(minimumOrder: 100).orderPoints(order).points == 0)
        #expect(LoyaltyProgram(tiers: [.init(key: "gold", name: "Gold", threshold: 0, multiplier: 1.5)]).orderPoints(["revenue": 10], tier: "gold").points == 15)
    }

    @Test("earned 100 on 200.00: refunds of 50 then 150 take 25 then 75, never more than 100 in all")
    func proportionalClawback() {
        let p = LoyaltyProgram()
        let first = p.clawback(earned: 100, eligible: 200, refundedSoFar: 0, refundedAmount: 50, clawedSoFar: 0)
        let second = p.clawback(earned: 100, eligible: 200, refundedSoFar: 50, refundedAmount: 150, clawedSoFar: first)
        #expect(first == 25 && second == 75)
        #expect(p.clawback(earned: 100, eligible: 200, refundedSoFar: 200, refundedAmount: 500, clawedSoFar: 100) == 0)
        // Many small refunds: the rounding never lets the total exceed what was earned.
        var clawed = 0, refunded = 0.0
        for _ in 0..<7 { clawed += p.clawback(earned: 100, eligible: 200, refundedSoFar: refunded, refundedAmount: 33.33, clawedSoFar: clawed); refunded += 33.33 }
        #expect(clawed == 100)
    }

    @Test("spending takes the lot that expires soonest first and never-expiring points last")
    func spendingOrder() throws {
        let lots = [PointsLot(id: 1, remaining: 100, expiresAt: 300), PointsLot(id: 2, remaining: 100, expiresAt: 100),
                    PointsLot(id: 3, remaining: 100, expiresAt: nil)]
        let plan = try #require(PointsLot.spend(150, from: lots))
        #expect(plan.map(\.lot) == [2, 1] && plan.map(\.points) == [100, 50])
        #expect(PointsLot.spend(301, from: lots) == nil)
    }

    @Test("NPS: 10,10,9,9,8,7,6,5,3,0 is 0; 100 promoters, 60 passives, 40 detractors is +30 ± 10.8")
    func nps() throws {
        #expect(NPSScore(scores: [10, 10, 9, 9, 8, 7, 6, 5, 3, 0]).score == 0)
        let s = NPSScore(promoters: 100, passives: 60, detractors: 40)
        #expect(s.score == 30)
        #expect(abs(try #require(s.margin95) - 10.8) < 0.05)
        let day: Int64 = 86_400_000
        #expect(!NPSScore.maySend(lastSentAt: 0, now: 29 * day))
        #expect(NPSScore.maySend(lastSentAt: 0, now: 30 * day))
        #expect(NPSScore.category(11) == nil && NPSScore.category(7) == "passive")
    }

    @Test("referral guards reject self-referral by email, device and address, hold a shared IP, refuse customers and a sixth referral")
    func referralGuards() {
        let referrer = ReferralParty(profileId: 1, email: "Ann.Smith+promo@gmail.com", devices: ["dev-1"], shippingAddresses: ["Via Roma 1, Milano"],
                                     ips: ["203.0.113.9"])
        func judge(_ referee: ReferralParty, ordered: Bool = false, count: Int = 0) -> ReferralGuard.Verdict {
            ReferralGuard.judge(referrer: referrer, referee: referee, refereeHasOrdered: ordered, referralsThisYear: count, allowance: 5)
        }
        #expect(judge(ReferralParty(profileId: 2, email: "annsmith@googlemail.com")) == .rejected("same_email"))
        #expect(judge(ReferralParty(profileId: 2, email: "b@example.com", devices: ["dev-1"])) == .rejected("same_device"))
        #expect(judge(ReferralParty(profileId: 2, email: "b@example.com", shippingAddresses: ["via roma 1 milano"])) == .rejected("same_address"))
        #expect(judge(ReferralParty(profileId: 2, email: "b@example.com", ips: ["203.0.113.9"])) == .held("same_ip"))
        #expect(judge(ReferralParty(profileId: 2, email: "b@example.com"), ordered: true) == .rejected("existing_customer"))
        #expect(judge(ReferralParty(profileId: 2, email: "b@example.com"), count: 5) == .rejected("allowance_reached"))
        #expect(judge(ReferralParty(profileId: 2, email: "b@example.com"), count: 4) == .pending)
        #expect(ReferralGuard.normalisedEmail("a.b+x@example.com") == "a.b+x@example.com")
    }

    @Test("a program document round-trips and bad fields are named")
    func programJSON() throws {
        let program = try LoyaltyProgram.parse(["rounding": "half-up", "timeZone": "Europe/Rome", "expiryDays": 365,
                                                "rewards": [["key": "5off", "cost": 500, "kind": "amount-off", "value": 5]]])
        #expect(try LoyaltyProgram.parse(program.json) == program)
        for (bad, field) in [(["rounding": "up"], "rounding"), (["pointsPerUnit": -1], "pointsPerUnit"), (["timeZone": "Mars/Base"], "Mars"),
                             (["rewards": [["key": "x", "cost": 0, "kind": "amount-off"]]], "rewards[0].cost"),
                             (["tiers": [["key": "a", "threshold": 1.5]]], "tiers[0].threshold")] as [(JSONValue, String)] {
            #expect(throws: CicloError.self) { try LoyaltyProgram.parse(bad) }
            do { _ = try LoyaltyProgram.parse(bad) } catch let error as CicloError { #expect(error.message.contains(field)) }
        }
    }

    @Test("a lot earned 2027-01-15 10:00 in Rome with 365-day expiry ends at 2028-01-16 00:00 Rome time")
    func endOfDayExpiry() throws {
        let calendar = LoyaltyCalendar(timeZone: "Europe/Rome")
        let earned = try #require(ISO8601.parse("2027-01-15T10:00:00+01:00")).epochMilliseconds
        #expect(calendar.endOfDay(earned, plusDays: 365) == ISO8601.parse("2028-01-16T00:00:00+01:00")?.epochMilliseconds)
        #expect(calendar.periodKey(.week, at: earned) == "2027-W02")
        #expect(LoyaltyCalendar.birthdayMonthDay("1990-06-20") == "06-20" && LoyaltyCalendar.birthdayMonthDay("--06-20") == "06-20")
        #expect(LoyaltyCalendar.birthdayMonthDay("June") == nil)
    }
}
