import CicloCore
import Foundation
import Testing

/// Issue 17, case 5: a template is bounded in depth, work and output, whatever its text or the data it loops over.
@Suite("Template limits: depth, loop work, output size, hostile filter arguments")
struct TemplateLimitsTests {
    @Test("ten thousand nested ifs are refused with the line, not a stack overflow")
    func depth() {
        let source = String(repeating: "{% if profile.id %}", count: 10_000) + "x" + String(repeating: "{% endif %}", count: 10_000)
        #expect(throws: TemplateError.self) { try TemplateParser.parse(source) }
        let deepFor = String(repeating: "{% for i in cart %}", count: 17) + String(repeating: "{% endfor %}", count: 17)
        #expect(throws: TemplateError.self) { try TemplateParser.parse(deepFor) }
        let fine = String(repeating: "{% if profile.id %}", count: 16) + "x" + String(repeating: "{% endif %}", count: 16)
        #expect((try? TemplateParser.parse(fine)) != nil)
        #expect(throws: TemplateError.self) { try TemplateParser.parse(String(repeating: "a", count: TemplateParser.maxSourceBytes + 1)) }
    }

    @Test("three nested loops over a 500-item list stop at the iteration budget, in well under a second")
    func loopBudget() throws {
        let items = JSONValue.array((0..<500).map { .int(Int64($0)) })
        let nodes = try TemplateParser.parse("{% for a in xs %}{% for b in xs %}{% for c in xs %}{{ c }}{% endfor %}{% endfor %}{% endfor %}")
        let started = ContinuousClock.now
        #expect(throws: TemplateError.self) { try TemplateRenderer().render(nodes, ["xs": items]) }
        #expect(ContinuousClock.now - started < .seconds(1))
        // One loop of 500 is fine.
        #expect(try TemplateRenderer().render(try TemplateParser.parse("{% for a in xs %}.{% endfor %}"), ["xs": items]).count == 500)
    }

    @Test("output beyond the size limit is refused")
    func outputLimit() throws {
        let big = JSONValue.string(String(repeating: "x", count: 600_000))
        let nodes = try TemplateParser.parse("{{ t }}{{ t }}")
        #expect(throws: TemplateError.self) { try TemplateRenderer().render(nodes, ["t": big]) }
    }

    @Test("filters take hostile arguments and values without trapping", arguments: [
        "{{ n | truncate: -9223372036854775808 }}", "{{ n | truncate: 9223372036854775807 }}", "{{ n | round: 9223372036854775807 }}",
        "{{ n | round: -5 }}", "{{ big | times: 1e308 }}", "{{ big | plus: 1e308 }}", "{{ big | money }}", "{{ n | date }}",
        "{{ huge | date }}", "{{ neg | date: \"%Y %B %A\" }}", "{{ big | round: 2 }}", "{{ n | money: \"XYZ\" }}",
    ])
    func filters(source: String) throws {
        let context: JSONValue = ["n": "some text", "big": 1.7e308, "huge": .int(Int64.max), "neg": .int(Int64.min)]
        _ = try TemplateRenderer().render(try TemplateParser.parse(source), context)
    }

    @Test("lines are counted across CRLF, so an error names the line it is on")
    func crlfLines() {
        do {
            _ = try TemplateParser.parse("a\r\nb\r\n{% for x in %}")
            Issue.record("should not parse")
        } catch let error as TemplateError {
            #expect(error.line == 3)
        } catch {
            Issue.record("\(error)")
        }
    }
}
