import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import Testing

/// The property that keeps the condition language honest: for random conditions over random people, the SQL
/// compiler (on both engines) and the Swift evaluator pick exactly the same profiles.
@Suite("Condition language: SQL and Swift agree")
struct ConditionAgreementTests {
    static let now = ISO8601.parse("2026-06-15T12:00:00Z")!
    static let names = ["Product Viewed", "Product Added", "Order Completed", "Email Opened"]
    static let plans = ["free", "pro", "team", "Pro", "ünïcode"]

    /// Random people: traits of every JSON type, and events with numeric and text properties over 60 days.
    static func population(workspaceId: Int64, seed: UInt64) -> [Event] {
        var rng = SeededRandom(seed: seed)
        var events: [Event] = []
        for person in 0..<40 {
            let user = "u\(person)"
            var traits: [String: JSONValue] = [:]
            if rng.chance(0.8) { traits["plan"] = .string(plans[rng.int(in: 0...4)]) }
            if rng.chance(0.6) { traits["age"] = rng.chance(0.5) ? .int(Int64(rng.int(in: 16...80))) : .double(Double(rng.int(in: 160...800)) / 10) }
            if rng.chance(0.3) { traits["age"] = .string("\(rng.int(in: 16...80))") }  // a number sent as text is not a number
            if rng.chance(0.5) { traits["vip"] = .bool(rng.chance(0.5)) }
            if rng.chance(0.5) { traits["address"] = ["city": .string(rng.chance(0.5) ? "Rome" : "Roma Nord")] }
            if rng.chance(0.5) {
                traits["signed_up"] = .string(ISO8601.format(now.addingTimeInterval(-Double(rng.int(in: 0...90)) * 86_400)))
            }
            events.append(Event(workspaceId: workspaceId, messageId: "t-\(seed)-\(person)", type: .identify, userId: user,
                                traits: .object(traits), timestamp: now.addingTimeInterval(-100 * 86_400),
                                receivedAt: now.addingTimeInterval(-100 * 86_400)))
            for n in 0..<rng.int(in: 0...12) {
                let at = now.addingTimeInterval(-Double(rng.int(in: 0...60 * 24)) * 3_600)
                var properties: [String: JSONValue] = ["revenue": .double(Double(rng.int(in: 0...200)))]
                if rng.chance(0.5) { properties["category"] = .string(rng.chance(0.5) ? "Shoes" : "Hats") }
                if rng.chance(0.3) { properties["coupon"] = .string("SAVE\(rng.int(in: 1...3))") }
                events.append(Event(workspaceId: workspaceId, messageId: "e-\(seed)-\(person)-\(n)", type: .track,
                                    event: names[rng.int(in: 0...3)], userId: user, properties: .object(properties),
                                    timestamp: at, receivedAt: at))
            }
        }
        return events
    }

    /// A random condition of bounded depth over the whole grammar except memberships.
    static func condition(_ rng: inout SeededRandom, depth: Int = 0) -> Condition {
        let pick = depth >= 2 ? rng.int(in: 3...9) : rng.int(in: 0...9)
        switch pick {
        case 0: return .all((0..<rng.int(in: 0...3)).map { _ in condition(&rng, depth: depth + 1) })
        case 1: return .any((0..<rng.int(in: 0...3)).map { _ in condition(&rng, depth: depth + 1) })
        case 2: return .not(condition(&rng, depth: depth + 1))
        case 3, 4: return .trait(["plan", "age", "vip", "address.city", "signed_up", "missing"][rng.int(in: 0...5)], test(&rng))
        case 5: return .attribute([.orderCount, .totalRevenue, .lastOrderAt, .eventCount, .email, .userId][rng.int(in: 0...5)], test(&rng))
        case 6, 7:
            let windows: [EventWindow] = [.ever, .last(.days(Double(rng.int(in: 1...30)))),
                                          .between(now.addingTimeInterval(-40 * 86_400).epochMilliseconds, now.addingTimeInterval(-10 * 86_400).epochMilliseconds)]
            let measures: [EventMeasure] = [.count(.atLeast, rng.int(in: 0...3)), .count(.atMost, rng.int(in: 0...2)),
                                            .count(.exactly, rng.int(in: 0...2)), .first(ValueTest(.before, ago: .days(20))),
                                            .last(ValueTest(.after, ago: .days(Double(rng.int(in: 1...20)))))]
            return .event(EventCondition(match(&rng), window: windows[rng.int(in: 0...2)], measure: measures[rng.int(in: 0...4)]))
        case 8: return .sequence(first: match(&rng), then: match(&rng), within: .days(Double(rng.int(in: 1...10))))
        default: return .always
        }
    }

    static func match(_ rng: inout SeededRandom) -> EventMatch {
        var filters: [(path: String, test: ValueTest)] = []
        if rng.chance(0.4) { filters.append(("revenue", ValueTest(.gt, .int(Int64(rng.int(in: 0...150)))))) }
        if rng.chance(0.3) { filters.append(("category", ValueTest(.equals, .string(rng.chance(0.5) ? "Shoes" : "Hats")))) }
        if rng.chance(0.2) { filters.append(("coupon", ValueTest(.startsWith, "SAVE"))) }
        return EventMatch(name: names[rng.int(in: 0...3)], filters: filters)
    }

    static func test(_ rng: inout SeededRandom) -> ValueTest {
        let values: [JSONValue] = ["pro", "Pro", "ünïcode", 30, 42.5, true, false, "Rome", "Ro", "42"]
        let v = values[rng.int(in: 0...(values.count - 1))]
        switch rng.int(in: 0...11) {
        case 0: return ValueTest(.equals, v)
        case 1: return ValueTest(.notEquals, v)
        case 2: return ValueTest(.gt, .int(Int64(rng.int(in: 0...60))))
        case 3: return ValueTest(.lte, .double(Double(rng.int(in: 0...600)) / 10))
        case 4: return ValueTest(.between, [.int(Int64(rng.int(in: 0...30))), .int(Int64(rng.int(in: 30...300)))])
        case 5: return ValueTest(.contains, .string(["o", "Rom", "ünï", "x"][rng.int(in: 0...3)]))
        case 6: return ValueTest(.startsWith, .string(["Ro", "p", "Pro"][rng.int(in: 0...2)]))
        case 7: return ValueTest(.in, [v, "team", 42])
        case 8: return ValueTest(.exists)
        case 9: return ValueTest(.notExists)
        case 10: return ValueTest(.before, ago: .days(Double(rng.int(in: 1...60))))
        default: return ValueTest(.after, "2026-05-01T00:00:00Z")
        }
    }

    @Test("random conditions select the same people in SQL and in Swift", arguments: TestDatabase.engines, [UInt64(2026), 7, 99])
    func agreement(engine: Dialect, seed: UInt64) async throws {
        let clock = ManualClock(Self.now)
        try await TestDatabase.withStore(engine, clock: clock) { store in
            _ = try await store.createWorkspace(named: "prop")
            let workspace = try await store.workspace(named: "prop")
            try await store.appendEvents(Self.population(workspaceId: workspace.id, seed: seed &+ 11))
            try await ProfileProcessor(store: store, clock: clock, logger: TestDatabase.quietLogger).catchUp(workspaceId: workspace.id)
            let people = try await store.profilePage(workspaceId: workspace.id, afterId: 0, limit: 1_000).map(\.0)
            var histories: [Int64: [Event]] = [:]
            for event in try await store.history(workspaceId: workspace.id, profileIds: people.map(\.id)) {
                histories[event.profileId!, default: []].append(event)
            }
            let profiles = try await store.database.read { session in try await Store.profiles(in: session, workspaceId: workspace.id, ids: people.map(\.id)) }
            #expect(profiles.count == 40)

            var rng = SeededRandom(seed: seed)
            var nonTrivial = 0
            for round in 0..<150 {
                let condition = Self.condition(&rng)
                // Round-trip through JSON too: what users store is what gets evaluated.
                let parsed = try Condition.parse(condition.json)
                #expect(parsed == condition, "round \(round): \(condition.json.jsonText)")
                let sql = try await store.matchingProfileIds(workspaceId: workspace.id, condition: parsed, now: Self.now.epochMilliseconds)
                let swift = Set(profiles.filter { profile in
                    ConditionEvaluator.evaluate(parsed, ConditionContext(profile: profile, history: histories[profile.id] ?? [],
                                                                        now: Self.now.epochMilliseconds)).matches
                }.map(\.id))
                #expect(sql == swift, "round \(round): \(parsed.json.jsonText) — SQL only \(sql.subtracting(swift)), Swift only \(swift.subtracting(sql))")
                if !swift.isEmpty && swift.count < profiles.count { nonTrivial += 1 }
            }
            #expect(nonTrivial > 40, "most random conditions split the population")
        }
    }
}
