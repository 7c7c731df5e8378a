import CicloCore
import Foundation
import Testing

@Suite("Journey interpreter")
struct JourneyInterpreterTests {
    static let t0 = ISO8601.parse("2026-03-07T15:00:00Z")!.epochMilliseconds
    static let hour: Int64 = 3_600_000

    static func journey(_ text: String) throws -> JourneyDefinition { try JourneyDefinition.parse(try JSONValue.parse(text)) }

    static func context(_ now: Int64, zone: String = "UTC", rules: JourneyRules = JourneyRules(), history: [Event] = [],
                        traits: [String: JSONValue] = [:], sent: [String: [Int64]] = [:], heldOut: Bool = false) -> JourneyContext {
        var profile = Profile(id: 7, workspaceId: 1, traits: traits, createdAt: 0)
        profile.computed.timeZone = zone
        return JourneyContext(now: now, profile: profile, history: history, rules: rules, heldOut: heldOut, sent: sent)
    }

    static func order(cart: String, at ms: Int64, revenue: Double = 30) -> Event {
        Event(workspaceId: 1, messageId: UUID().uuidString, type: .track, event: "Order Completed", userId: "u", profileId: 7,
              properties: ["cart_id": .string(cart), "revenue": .double(revenue)],
              timestamp: Date(epochMilliseconds: ms), receivedAt: Date(epochMilliseconds: ms))
    }

    static let cart = #"""
        {"key": "cart", "name": "Cart", "trigger": {"event": "Product Added"}, "start": "wait",
         "goal": {"event": "Order Completed", "keyedBy": "cart_id"},
         "steps": {"wait": {"type": "waitForEvent", "event": "Order Completed", "matchTrigger": "cart_id", "timeout": {"hours": 1},
                            "onEvent": "thanks", "onTimeout": "remind"},
                   "remind": {"type": "message", "channel": "email", "template": "cart-email"},
                   "thanks": {"type": "exit"}}}
        """#

    @Test("a keyed wait times out into the reminder, or moves on when the order with the same cart arrives")
    func keyedWait() throws {
        let j = try Self.journey(Self.cart)
        var e = Enrolment(id: 1, journeyId: 1, version: 1, profileId: 7, step: "wait", trigger: ["cart_id": "c1"], enteredAt: Self.t0)
        var run = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(Self.t0))
        #expect(run.enrolment.waiting && run.enrolment.wakeAt == Self.t0 + Self.hour && run.enrolment.waitKey == "c1")
        e = run.enrolment

        let other = JourneyInterpreter.advance(e, j, reason: .event(Self.order(cart: "c2", at: Self.t0 + 10)), context: Self.context(Self.t0 + 10))
        #expect(other.enrolment.step == "wait" && other.enrolment.waiting, "an order for another cart does not count")
        let arrived = JourneyInterpreter.advance(e, j, reason: .event(Self.order(cart: "c1", at: Self.t0 + 20)), context: Self.context(Self.t0 + 20))
        #expect(arrived.enrolment.state == .exited && arrived.effects.isEmpty)
        #expect(arrived.transitions.map(\.outcome).contains("event"))

        run = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(Self.t0 + Self.hour))
        #expect(run.effects == [.message(channel: "email", template: "cart-email", step: "remind", key: "enrolment:1:remind:2")])
        #expect(run.enrolment.state == .completed)
        #expect(run.transitions.map(\.outcome) == ["timed_out", "entered", "messaged", "completed"])
    }

    @Test("frequency caps skip the fourth marketing email in a week; transactional journeys are never capped")
    func caps() throws {
        let j = try Self.journey(#"{"key":"n","name":"N","trigger":{"api":true},"start":"m","steps":{"m":{"type":"message","channel":"email","template":"t"}}}"#)
        let sent = ["email": [Self.t0 - 1 * Self.hour, Self.t0 - 30 * Self.hour, Self.t0 - 100 * Self.hour]]
        let e = Enrolment(id: 2, journeyId: 1, version: 1, profileId: 7, step: "m", trigger: [:], enteredAt: Self.t0)
        let capped = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(Self.t0, rules: .standard, sent: sent))
        #expect(capped.effects.isEmpty && capped.transitions.first?.outcome == "capped")
        let older = ["email": sent["email"]! + [Self.t0 - 200 * Self.hour]].mapValues { Array($0.dropFirst()) }
        let ok = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(Self.t0, rules: .standard, sent: older))
        #expect(ok.effects.count == 1, "one of the four is older than a week")
        var transactional = j
        transactional.transactional = true
        #expect(JourneyInterpreter.advance(e, transactional, reason: .time, context: Self.context(Self.t0, rules: .standard, sent: sent)).effects.count == 1)
    }

    @Test("quiet hours hold a message until the window opens in the person's zone, across the daylight-saving change")
    func quietHours() throws {
        let j = try Self.journey(#"{"key":"n","name":"N","trigger":{"api":true},"start":"m","steps":{"m":{"type":"message","channel":"sms","template":"t"}}}"#)
        // 2026-03-08 06:30 UTC is 01:30 EST in New York; clocks jump to EDT at 02:00, so 08:00 local is 12:00 UTC.
        let now = ISO8601.parse("2026-03-08T06:30:00Z")!.epochMilliseconds
        let e = Enrolment(id: 3, journeyId: 1, version: 1, profileId: 7, step: "m", trigger: [:], enteredAt: now)
        let held = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(now, zone: "America/New_York", rules: .standard))
        #expect(held.effects.isEmpty && held.enrolment.waiting)
        #expect(held.enrolment.wakeAt == ISO8601.parse("2026-03-08T12:00:00Z")!.epochMilliseconds)
        let later = JourneyInterpreter.advance(held.enrolment, j, reason: .time, context: Self.context(held.enrolment.wakeAt!, zone: "America/New_York", rules: .standard))
        #expect(later.effects.count == 1)
        // Two hours later it is 09:30 in Rome (outside quiet hours: sent at once) but 04:30 in New York (still held).
        let morning = now + 2 * Self.hour
        #expect(JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(morning, zone: "Europe/Rome", rules: .standard)).effects.count == 1)
        #expect(JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(morning, zone: "America/New_York", rules: .standard)).effects.isEmpty)
        var skip = JourneyRules.standard
        skip.quietHours?.hold = false
        let skipped = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(now, zone: "America/New_York", rules: skip))
        #expect(skipped.effects.isEmpty && skipped.enrolment.state == .completed && skipped.transitions.first?.outcome == "quiet_skip")
    }

    @Test("wait until a time of day on weekdays in the person's zone")
    func timeOfDay() throws {
        let j = try Self.journey(#"{"key":"n","name":"N","trigger":{"api":true},"start":"w","steps":{"w":{"type":"waitUntilTime","time":"09:30","weekdays":[2,3,4,5,6],"next":"m"},"m":{"type":"exit"}}}"#)
        // Saturday 2026-03-07 15:00 UTC → next weekday 09:30 in Tokyo is Monday 09:30 JST = Monday 00:30 UTC.
        let run = JourneyInterpreter.advance(Enrolment(id: 4, journeyId: 1, version: 1, profileId: 7, step: "w", trigger: [:], enteredAt: Self.t0), j,
                                             reason: .time, context: Self.context(Self.t0, zone: "Asia/Tokyo"))
        #expect(run.enrolment.wakeAt == ISO8601.parse("2026-03-09T00:30:00Z")!.epochMilliseconds)
    }

    @Test("a message waits for the person's best hour when it comes within the window, and goes at once otherwise")
    func bestHour() throws {
        let j = try Self.journey(#"{"key":"b","name":"B","trigger":{"api":true},"start":"w","steps":{"w":{"type":"waitUntilBestHour","within":{"hours":24},"next":"m"},"m":{"type":"message","channel":"email","template":"t"}}}"#)
        func start(best: Int?, zone: String) -> JourneyAdvance {
            var context = Self.context(Self.t0, zone: zone)
            context.profile.scores.bestSendHour = best
            return JourneyInterpreter.advance(Enrolment(id: 5, journeyId: 1, version: 1, profileId: 7, step: "w", trigger: [:], enteredAt: Self.t0),
                                              j, reason: .time, context: context)
        }
        // Saturday 2026-03-07 15:00 UTC is 16:00 in Rome; the best hour Saturday 20:00 (6×24+20) is four hours away.
        let waiting = start(best: 6 * 24 + 20, zone: "Europe/Rome")
        #expect(waiting.enrolment.wakeAt == ISO8601.parse("2026-03-07T19:00:00Z")!.epochMilliseconds)
        #expect(waiting.effects.isEmpty)
        var context = Self.context(waiting.enrolment.wakeAt!, zone: "Europe/Rome")
        context.profile.scores.bestSendHour = 6 * 24 + 20
        let woken = JourneyInterpreter.advance(waiting.enrolment, j, reason: .time, context: context)
        #expect(woken.effects.count == 1, "sent at the best hour")
        // Monday 09:00 is more than 24 hours away: send now. Unknown best hour: send now.
        #expect(start(best: 1 * 24 + 9, zone: "Europe/Rome").effects.count == 1)
        #expect(start(best: nil, zone: "UTC").effects.count == 1)
    }

    @Test("splits are stable per enrolment and follow their weights; a control arm sends nothing")
    func splits() throws {
        let j = try Self.journey(#"""
            {"key":"s","name":"S","trigger":{"api":true},"start":"split","steps":{
              "split":{"type":"split","arms":[{"name":"A","weight":80,"next":"m"},{"name":"control","weight":20,"control":true,"next":"m"}]},
              "m":{"type":"message","channel":"email","template":"t"}}}
            """#)
        var counts: [String: Int] = [:]
        for id in 1...5_000 {
            let e = Enrolment(id: Int64(id), journeyId: 1, version: 1, profileId: Int64(id), step: "split", trigger: [:], enteredAt: Self.t0)
            let run = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(Self.t0))
            counts[run.enrolment.arm!, default: 0] += 1
            #expect(run.effects.isEmpty == (run.enrolment.arm == "control"))
            #expect(JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(Self.t0)).enrolment.arm == run.enrolment.arm)
        }
        #expect(abs(Double(counts["control"]!) / 5_000 - 0.2) < 0.02)
    }

    @Test("the global control group is a stable share of people")
    func controlGroup() {
        let rules = JourneyRules(controlShare: 0.05)
        let held = (1...20_000).count { rules.inControlGroup(profileId: Int64($0), secret: "s") }
        #expect(abs(Double(held) / 20_000 - 0.05) < 0.006)
        #expect(rules.inControlGroup(profileId: 42, secret: "s") == rules.inControlGroup(profileId: 42, secret: "s"))
    }

    @Test("branches on conditions; goals and exits end enrolments")
    func branches() throws {
        let j = try Self.journey(#"""
            {"key":"b","name":"B","trigger":{"api":true},"start":"b","exitWhen":{"trait":"unsubscribed","op":"equals","value":true},
             "steps":{"b":{"type":"branch","branches":[{"condition":{"trait":"plan","op":"equals","value":"pro"},"next":"pro"}],"otherwise":"free"},
                      "pro":{"type":"message","channel":"email","template":"pro"},"free":{"type":"message","channel":"email","template":"free"}}}
            """#)
        let e = Enrolment(id: 5, journeyId: 1, version: 1, profileId: 7, step: "b", trigger: [:], enteredAt: Self.t0)
        let pro = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(Self.t0, traits: ["plan": "pro"]))
        #expect(pro.effects.first == .message(channel: "email", template: "pro", step: "pro", key: "enrolment:5:pro:2"))
        let free = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(Self.t0, traits: ["plan": "free"]))
        #expect(free.transitions.first?.outcome == "otherwise")
        let gone = JourneyInterpreter.advance(e, j, reason: .time, context: Self.context(Self.t0, traits: ["unsubscribed": true]))
        #expect(gone.enrolment.state == .exited && gone.effects.isEmpty)
    }

    @Test("validation names every problem with its step")
    func validation() throws {
        let text = #"""
            {"key":"v","name":"V","trigger":{"event":"X"},"start":"a","steps":{
              "a":{"type":"branch","branches":[{"condition":{"trait":"x","op":"nope","value":1},"next":"b"}],"otherwise":"c"},
              "b":{"type":"updateTraits","traits":{"x":1},"next":"c"},
              "c":{"type":"updateTraits","traits":{"y":1},"next":"b"},
              "d":{"type":"message","channel":"email","template":"missing"},
              "e":{"type":"wait","duration":{"days":1},"next":"ghost"}}}
            """#
        #expect { try JourneyDefinition.parse(try JSONValue.parse(text), templates: ["welcome-1"]) } throws: { error in
            let problems = (error as? JourneyInvalid)?.problems.map(\.description) ?? []
            return problems.contains { $0.hasPrefix("step a:") && $0.contains("op") }
                && problems.contains { $0 == "step d: template missing does not exist" }
                && problems.contains { $0 == "step e: leads to unknown step ghost" }
                && problems.contains { $0 == "step d: is unreachable from a" }
                && problems.contains { $0.contains("loop without a wait") }
        }
        for template in JourneyTemplates.all.values { #expect(throws: Never.self) { try JourneyDefinition.parse(template) } }
    }
}
