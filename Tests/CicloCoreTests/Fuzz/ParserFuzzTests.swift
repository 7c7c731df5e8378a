import CicloCore
import CicloTesting
import Foundation
import PropertyBased
import Testing

/// A bounded fuzz suite over every parser that reads outside input: each gets a fixed number of hostile inputs, and
/// must answer with a value or an error, never a trap, and with results that keep their invariants.
@Suite("Parser fuzzing: hostile input to every parser, a fixed number of cases each")
struct ParserFuzzTests {
    static let count = 1_500
    /// Each case is built from one 64-bit seed, which a failure reports.
    static let seeds = Gen.uint64(in: 0...UInt64.max)

    static let jsonSeeds = [
        #"{"type":"track","userId":"u1","event":"Order Completed","properties":{"order_id":"o1","revenue":12.5,"products":[{"price":2,"quantity":3}]}}"#,
        #"{"a":[1,2,{"b":"c\u00e9"}],"d":-0.5e3,"e":null,"f":true}"#, #"[[],[{}],"\ud83d\ude00"]"#,
    ]

    @Test("JSON: anything parses or throws; whatever parses prints back to the same value")
    func json() async {
        await propertyCheck(count: Self.count, input: Self.seeds) { seed in
            var h = HostileText(seed: seed)
            let text = h.text(Self.jsonSeeds)
            guard let value = try? JSONValue.parse(text) else { return }
            // Printing is canonical (-550.0 prints as -550 and reads back as an integer): one round gives a fixed point.
            let once = try? JSONValue.parse(value.jsonText)
            #expect(once != nil && (try? JSONValue.parse(once?.jsonText ?? "")) == once, "\(text.debugDescription)")
            #expect(once?.jsonText == value.jsonText)
            if let d = value.doubleValue { #expect(d.isFinite) }
        }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONValue.parse(String(repeating: "[", count: 100_000)) }
    }

    @Test("tracking messages: hostile messages are refused with a reason or read with sane numbers, times and no NUL")
    func trackingMessages() async {
        let reader = TrackingMessage(workspaceId: 1, sourceId: 1, receivedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let base = try! JSONValue.parse(Self.jsonSeeds[0])
        await propertyCheck(count: Self.count, input: Self.seeds) { seed in
            var h = HostileText(seed: seed)
            var message = h.json(like: base)
            if h.int(3) == 0, case .object(var o) = message {
                o["timestamp"] = .string(h.text(["2024-05-01T10:00:00.123+02:00", "2024-02-29", "1999-12-31T23:59:60Z"]))
                message = .object(o)
            }
            guard case .success(let event) = reader.read(message, impliedType: nil) else { return }
            #expect(TrackingRanges.accepts(event.timestamp))
            #expect(!event.properties.containsNUL && !event.traits.containsNUL)
            #expect(TrackingRanges.rejection(properties: event.properties) == nil)
            var computed = ComputedAttributes()
            _ = computed.apply(event)
            #expect(computed.totalRevenue.isFinite)
        }
    }

    @Test("ISO 8601: parsed instants are real dates, and formatting then parsing gives them back")
    func iso8601() async {
        await propertyCheck(count: Self.count, input: Self.seeds) { seed in
            var h = HostileText(seed: seed)
            let text = h.text(["2024-05-01T10:00:00.123456+02:00", "2024-02-29", "1970-01-01T00:00:00Z", "2099-12-31 23:59"])
            guard let date = ISO8601.parse(text), TrackingRanges.accepts(date) else { return }
            #expect(ISO8601.parse(ISO8601.format(date))?.epochMilliseconds == date.epochMilliseconds, "\(text.debugDescription)")
        }
    }

    @Test("CSV: any bytes give records, fed whole or byte by byte alike")
    func csv() async {
        let runs = Counter()
        defer { #expect(runs.value == Self.count, "every case ran") }
        await propertyCheck(count: Self.count, input: Self.seeds) { seed in
            var h = HostileText(seed: seed)
            runs.add()
            let bytes = Array(h.text(["a,b,c\r\n1,\"x,y\",3\n", "\"q\"\"uote\",\"line\nbreak\"\r\n"]).utf8)
            var whole = CSVReader(), split = CSVReader()
            let one = whole.feed(bytes) + whole.finish()
            var two: [CSVReader.Record] = []
            for byte in bytes { two += split.feed([byte]) }
            two += split.finish()
            #expect(one == two)
        }
    }

    @Test("templates: hostile sources and contexts parse and render within the budget, or say why not")
    func templates() async {
        let seeds = ["Hi {{ profile.first_name | default: \"there\" | upcase }}!", "{% for item in cart %}{{ item.name }} {{ item.price | money }}{% endfor %}",
                     "{% if computed.orderCount > 1 %}again{% elsif x %}y{% else %}new{% endif %}", "{{ event.placed | date: \"%A %e %B %Y\" }} {{ n | round: 2 }}"]
        await propertyCheck(count: Self.count, input: Self.seeds) { seed in
            var h = HostileText(seed: seed)
            let source = h.text(seeds)
            guard let nodes = try? TemplateParser.parse(source) else { return }
            let context: JSONValue = ["profile": h.json(), "cart": .array((0..<h.int(600)).map { _ in h.json(depth: 1) }), "computed": h.json(),
                                      "event": h.json(), "n": HostileText.leaves[h.int(HostileText.leaves.count)], "x": h.json(depth: 1)]
            for html in [false, true] {
                if let out = try? TemplateRenderer(escapeHTML: html).render(nodes, context) {
                    #expect(out.utf8.count <= TemplateRenderer.maxOutputBytes + 1_024 * 64)
                }
            }
            _ = try? MessageTemplate(key: "t", name: "T", channel: "email", parts: ["subject": source, "html": source, "text": source]).validate()
        }
    }

    @Test("conditions: hostile trees parse within their limits or are refused; what parses evaluates without a trap")
    func conditions() async {
        let base = try! JSONValue.parse(#"""
            {"all":[{"trait":"plan","op":"in","value":["pro","team"]},{"event":"Order Completed","within":{"days":30},"count":{"atLeast":2},
             "where":[{"property":"revenue","op":"gt","value":50}]},{"not":{"segment":"vip"}},{"attribute":"total_revenue","op":"between","value":[1,9]},
             {"sequence":[{"event":"A"},{"event":"B"}],"within":{"hours":2}},{"trait":"signup","op":"before","ago":{"days":3}}]}
            """#)
        let profile = Profile(id: 1, workspaceId: 1, traits: ["plan": "pro", "signup": "2024-01-01T00:00:00Z", "n": 1e308], createdAt: 0)
        await propertyCheck(count: Self.count, input: Self.seeds) { seed in
            var h = HostileText(seed: seed)
            let json = h.int(4) == 0 ? ((try? JSONValue.parse(h.text([base.jsonText]))) ?? h.json()) : h.json(depth: 5, like: base)
            guard let condition = try? Condition.parse(json) else { return }
            let event = Event(workspaceId: 1, messageId: "m", type: .track, event: "Order Completed", profileId: 1, properties: h.json(),
                              timestamp: Date(timeIntervalSince1970: 1_799_000_000), receivedAt: Date())
            _ = ConditionEvaluator.evaluate(condition, ConditionContext(profile: profile, history: [event], now: 1_800_000_000_000))
            #expect((try? Condition.parse(condition.json)) == condition, "a parsed condition round-trips through its JSON")
        }
    }

    @Test("journeys, rules, loyalty programs, content, lifecycle models, funnels and RFM rules: parse or refuse, never trap")
    func documents() async {
        let journey = try! JSONValue.parse(#"""
            {"key":"cart","name":"Cart","trigger":{"event":"Product Added"},"entry":{"frequency":{"oncePer":{"days":7}}},"start":"w",
             "goal":{"event":"Order Completed","keyedBy":"cart_id"},"steps":{"w":{"type":"waitForEvent","event":"Order Completed","matchTrigger":"cart_id",
             "timeout":{"hours":1},"onTimeout":"s"},"s":{"type":"split","arms":[{"name":"a","weight":50,"next":"m"},{"name":"b","weight":50,"control":true}]},
             "m":{"type":"message","channel":"email","template":"cart","next":"t"},"t":{"type":"waitUntilTime","time":"09:30","weekdays":[2,3],"next":"u"},
             "u":{"type":"updateTraits","traits":{"x":1},"next":"h"},"h":{"type":"webhook","url":"https://hooks.example.com/x"}}}
            """#)
        let program = try! JSONValue.parse(#"""
            {"pointsPerUnit":2,"rounding":"half-up","pendingDays":30,"expiryDays":365,"timeZone":"Europe/Rome","tierWindowDays":365,
             "categoryMultipliers":{"shoes":2},"tiers":[{"key":"bronze","threshold":0},{"key":"gold","threshold":500,"multiplier":1.5}],
             "actions":[{"key":"review","event":"Review Submitted","points":10,"cap":3,"per":"month"}],
             "rewards":[{"key":"5off","cost":500,"kind":"amount-off","value":5,"maxOrderShare":0.5,"globalLimit":10}]}
            """#)
        let rules = try! JSONValue.parse(#"{"caps":[{"channel":"email","limit":2,"window":{"days":7}}],"quietHours":{"start":"21:00","end":"08:00"},"controlShare":0.1}"#)
        let content = try! JSONValue.parse(#"{"key":"guide","title":"Guide","format":"guide","stages":["convert"],"publishFrom":"2024-01-01T00:00:00Z"}"#)
        let model = try! JSONValue.parse(#"{"key":"m","name":"M","stages":[{"key":"a","name":"A","condition":{"always":true}}]}"#)
        let funnel = try! JSONValue.parse(#"{"steps":[{"event":"A"},{"stage":"convert"}],"within":{"days":7},"breakdown":{"property":"plan"},"exclude":[{"event":"C","between":[1,2]}]}"#)
        let rfm = try! JSONValue.parse(#"[{"name":"vip","recency":[4,5],"frequency":[4,5],"monetary":[1,5]}]"#)
        await propertyCheck(count: Self.count, input: Self.seeds) { seed in
            var h = HostileText(seed: seed)
            _ = try? JourneyDefinition.parse(h.json(depth: 6, like: journey))
            _ = try? JourneyRules.parse(h.json(like: rules))
            _ = try? ContentItem.parse(h.json(like: content))
            _ = try? LifecycleModel.parse(h.json(depth: 5, like: model))
            _ = try? FunnelDefinition.parse(h.json(like: funnel))
            _ = try? RFMRules.parse(h.json(like: rfm))
            if let p = try? LoyaltyProgram.parse(h.json(like: program)) {
                let order = h.json(like: try! JSONValue.parse(Self.jsonSeeds[0]))["properties"] ?? h.json()
                let (eligible, points) = p.orderPoints(order, tier: ["gold", "bronze", nil][h.int(3)])
                #expect(eligible.isFinite && points >= 0 && points <= LoyaltyProgram.maxOrderPoints)
                _ = p.clawback(earned: points, eligible: eligible, refundedSoFar: 0, refundedAmount: h.json().doubleValue ?? 1, clawedSoFar: 0)
            }
        }
    }

    @Test("email addresses: whatever is accepted has no white space, control character or SMTP path delimiter")
    func emails() async {
        await propertyCheck(count: Self.count, input: Self.seeds) { seed in
            var h = HostileText(seed: seed)
            guard let address = EmailAddress.normalised(h.text(["mia.rossi+x@example.com", "a@b.co", "josé@exämple.it"])) else { return }
            #expect(!address.unicodeScalars.contains { $0.value < 0x21 || $0 == "<" || $0 == ">" || $0 == "\"" || $0.properties.isWhitespace })
            #expect(Identifier.normalised(.email, address)?.value == address)
        }
    }

    /// Counts the cases a property check ran.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.lock(); n += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }
}
