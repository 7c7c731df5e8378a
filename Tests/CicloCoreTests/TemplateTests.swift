import CicloCore
import Foundation
import Testing

@Suite("Message templates")
struct TemplateTests {
    static let context: JSONValue = [
        "profile": ["first_name": "Ada", "email": "ada@example.com"],
        "traits": ["plan": "pro", "first_name": "Ada"],
        "event": ["total": 1234.5, "placed": "2026-03-29T01:30:00Z"],
        "cart": [["name": "Runner <2>", "price": 80], ["name": "Cap", "price": 19.99]],
        "workspace": ["name": "Shop"], "links": ["unsubscribe": "https://x/u/1"],
    ]

    func render(_ source: String, html: Bool = false, zone: String = "UTC") throws -> String {
        try TemplateRenderer(escapeHTML: html, timeZone: TimeZone(identifier: zone)!).render(try TemplateParser.parse(source), Self.context)
    }

    @Test("variables, defaults, case, money, dates, loops and conditions render")
    func rendering() throws {
        #expect(try render("Hi {{ traits.first_name | default: \"there\" }}! {{ traits.nickname | default: \"friend\" | upcase }}") == "Hi Ada! FRIEND")
        #expect(try render("{{ event.total | money }} / {{ event.total | money: \"EUR\" }} / {{ 5 | money: \"JPY\" }}") == "$1,234.50 / €1,234.50 / ¥5")
        #expect(try render("{{ event.placed | date: \"%A %e %B %Y %H:%M\" }}", zone: "Europe/Rome") == "Sunday 29 March 2026 03:30",
                "the daylight-saving change in Rome that night is applied")
        #expect(try render("{% for item in cart %}{{ forloop.index }}. {{ item.name }} {{ item.price | money }}\n{% endfor %}") ==
                "1. Runner <2> $80.00\n2. Cap $19.99\n")
        #expect(try render("{% if traits.plan == \"pro\" %}PRO{% elsif traits.plan %}other{% else %}none{% endif %}") == "PRO")
        #expect(try render("{% unless traits.vip %}not vip{% endunless %}") == "not vip")
        #expect(try render("{{ cart | size }} items, first {{ cart.0.name | truncate: 5 }}") == "2 items, first Runn…")
    }

    @Test("HTML parts escape what they print")
    func escaping() throws {
        #expect(try render("<b>{{ cart.0.name }}</b>", html: true) == "<b>Runner &lt;2&gt;</b>")
    }

    @Test("saving checks syntax, filters and variables that may be missing", arguments: [
        ("{{ traits.first_name }}", "may be missing"), ("{{ nope.x }}", "unknown variable"), ("{% if x %}", "never closed"),
        ("{{ traits.a | shout }}", "unknown filter"), ("{% frobnicate %}", "unknown tag"), ("{{ profile.shoe_size }}", "profile has no"),
        ("{{ links.secret }}", "links has no"), ("{% for x of cart %}{% endfor %}", "write {% for"), ("{{ loyalty.tier }}", "may be missing"),
    ])
    func checks(source: String, problem: String) {
        #expect { try TemplateChecker.check(try TemplateParser.parse(source)) } throws: { error in
            (error as? TemplateError)?.message.contains(problem) == true
        }
    }

    @Test("guarded and defaulted values pass the check")
    func guarded() throws {
        for source in ["{% if traits.first_name %}Hi {{ traits.first_name }}{% endif %}", "{{ event.total | default: 0 | money }}",
                       "{% for item in cart %}{{ item.whatever }}{% endfor %}", "{{ profile.email }} {{ links.unsubscribe }}",
                       "{{ loyalty.balance | default: 0 }} {% if loyalty.tier %}{{ loyalty.tier }}{% endif %} {{ predictions.churn_risk | default: 0 }}",
                       "{% for p in similar %}{{ p.name }}{% endfor %} {% for l in links.nps %}{{ l.url }}{% endfor %}"] {
            try TemplateChecker.check(try TemplateParser.parse(source))
        }
        for template in MessageTemplate.readyMade { try template.validate() }
    }

    @Test("SMS bodies report their segments: GSM-7 and UCS-2", arguments: [
        (String(repeating: "a", count: 160), SMSSegments.Encoding.gsm7, 1), (String(repeating: "a", count: 161), .gsm7, 2),
        (String(repeating: "€", count: 80), .gsm7, 1), (String(repeating: "€", count: 81), .gsm7, 2),
        ("Ciao 😀", .ucs2, 1), (String(repeating: "é", count: 100) + "ł", .ucs2, 2),
    ])
    func segments(text: String, encoding: SMSSegments.Encoding, count: Int) {
        let s = SMSSegments(text)
        #expect(s.encoding == encoding && s.segments == count)
    }
}
