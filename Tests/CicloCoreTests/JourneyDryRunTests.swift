import CicloCore
import Foundation
import Testing

/// A dry run credits only what happened after a message, and shows what the held out or the non-entrants did beside it.
@Suite("Journey dry run")
struct JourneyDryRunTests {
    static let t0 = ISO8601.parse("2026-03-02T10:00:00Z")!.epochMilliseconds
    static let minute: Int64 = 60_000

    static let journey = #"""
        {"key": "cart", "name": "Cart", "trigger": {"event": "Product Added"}, "start": "wait",
         "goal": {"event": "Order Completed"},
         "steps": {"wait": {"type": "wait", "duration": {"hours": 1}, "next": "remind"},
                   "remind": {"type": "message", "channel": "email", "template": "cart-email", "next": "linger"},
                   "linger": {"type": "wait", "duration": {"days": 3}}}}
        """#

    static func event(_ name: String, _ profile: Int64, at minutes: Int64, revenue: Double? = nil) -> Event {
        let ms = t0 + minutes * minute
        return Event(workspaceId: 1, messageId: "\(name)-\(profile)-\(minutes)", type: .track, event: name, userId: "u\(profile)",
                     profileId: profile, properties: .object(revenue.map { ["revenue": .double($0)] } ?? [:]),
                     timestamp: Date(epochMilliseconds: ms), receivedAt: Date(epochMilliseconds: ms))
    }

    static func profiles(_ ids: ClosedRange<Int64>) -> [Int64: Profile] {
        Dictionary(uniqueKeysWithValues: ids.map { ($0, Profile(id: $0, workspaceId: 1, traits: [:], createdAt: 0)) })
    }

    @Test("an order before the first message is not credited; one after it is; non-entrants are the baseline")
    func creditsAfterFirstMessage() throws {
        // Setup: 1 orders 10 minutes after adding (before the email at 1 h), 2 orders 3 h after (after it), 3 never orders,
        // 4 and 5 order without ever adding (non-entrants), 6 only browses.
        let definition = try JourneyDefinition.parse(try JSONValue.parse(Self.journey))
        let events = [Self.event("Product Added", 1, at: 0), Self.event("Order Completed", 1, at: 10, revenue: 40),
                      Self.event("Product Added", 2, at: 5), Self.event("Order Completed", 2, at: 185, revenue: 25),
                      Self.event("Product Added", 3, at: 7),
                      Self.event("Order Completed", 4, at: 30, revenue: 90), Self.event("Order Completed", 5, at: 50, revenue: 10),
                      Self.event("Product Viewed", 6, at: 1)]
        let simulator = JourneySimulator(definition: definition, rules: JourneyRules(), secret: "s")

        // Action
        let r = simulator.run(events: events, profiles: Self.profiles(1...6), end: Self.t0 + 10_000 * Self.minute)

        // Check
        #expect(r.entered == 3)
        #expect(r.converted == 1 && r.revenue == 25, "only the order after the email is credited")
        #expect(r.convertedBeforeFirstMessage == 1 && r.revenueBeforeFirstMessage == 40)
        #expect(r.messages == ["email": 2], "2 and 3 were sent the email; 1 had already converted")
        #expect(r.heldOut == JourneySimulation.Group())
        #expect(r.treated == JourneySimulation.Group(people: 2, converted: 1, revenue: 25))
        #expect(r.nonEntrants == JourneySimulation.Group(people: 3, converted: 2, revenue: 100))
    }

    @Test("with a control group the held out are counted from when their message would have gone, and both groups add up")
    func heldOutBaseline() throws {
        // Setup: 400 people add a product; those with an even id order 2 h later, odd ids order after 30 minutes.
        let definition = try JourneyDefinition.parse(try JSONValue.parse(Self.journey))
        var events: [Event] = []
        for p in Int64(1)...400 {
            events.append(Self.event("Product Added", p, at: p))
            events.append(Self.event("Order Completed", p, at: p + (p % 2 == 0 ? 120 : 30), revenue: 10))
        }
        let rules = JourneyRules(controlShare: 0.25)
        let held = (Int64(1)...400).filter { rules.inControlGroup(profileId: $0, secret: "s") }

        // Action
        let r = JourneySimulator(definition: definition, rules: rules, secret: "s")
            .run(events: events, profiles: Self.profiles(1...400), end: Self.t0 + 10_000 * Self.minute)

        // Check
        let heldEven = held.filter { $0 % 2 == 0 }.count, even = 200
        #expect(r.heldOut.people == held.filter { $0 % 2 == 0 }.count, "odd ids convert before the message moment, so never reach it")
        #expect(r.heldOut.converted == heldEven)
        #expect(r.converted == even - heldEven && r.revenue == Double(even - heldEven) * 10)
        #expect(r.convertedBeforeFirstMessage == 200)
        #expect(r.treated.people + r.heldOut.people == even && r.entered == 400)
        #expect(r.nonEntrants == nil, "with a holdout the baseline is the holdout")
        #expect(r.messages["email"] == even - heldEven)
    }
}
