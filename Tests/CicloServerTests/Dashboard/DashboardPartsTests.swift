import CicloCore
import Foundation
import Testing

@testable import CicloServer

@Suite("Dashboard building blocks")
struct DashboardPartsTests {
    @Test("builder rows become the condition language; a bad row is named")
    func builder() throws {
        let form = DashboardForm.parse("match=any&kind=attribute&field=order_count&op=gte&value=3&days=&kind=event&field=Product+Viewed&op=&value=&days=7"
            + "&kind=trait&field=plan&op=not_equals&value=pro&days=&kind=stage&field=&op=not_equals&value=retain&days=&kind=&field=&op=&value=&days=")
        let condition = try ConditionBuilderForm(form).condition()
        #expect(condition.summary == #"order count ≥ 3 or did Product Viewed in the last 7 days or trait plan is not "pro" or not in stage retain"#)
        let missing = DashboardForm.parse("kind=trait&field=plan&op=equals&value=&days=")
        #expect(throws: CicloError.self) { try ConditionBuilderForm(missing).condition() }
        do { _ = try ConditionBuilderForm(missing).condition() } catch let error as CicloError { #expect(error.message.hasPrefix("Condition 1:")) }
        #expect(throws: CicloError.self) { try ConditionBuilderForm(DashboardForm.parse("")).condition() }
    }

    @Test("forms decode + and percent escapes and keep repeated fields in order")
    func forms() {
        let form = DashboardForm.parse("a=1+2&b=%C3%A9t%C3%A9&a=3&empty=&flag")
        #expect(form["a"] == "1 2" && form.all("a") == ["1 2", "3"] && form["b"] == "été")
        #expect(form["empty"] == nil && form.raw("empty") == "" && form["flag"] == nil)
    }

    @Test("axis scales are round numbers that cover the data")
    func scales() {
        #expect(SVGChart.scale(max: 0).max == 1)
        let s = SVGChart.scale(max: 1234)
        #expect(s.max >= 1234 && s.step == 500 && s.max == 1500)
        #expect(SVGChart.compact(1_260_000) == "1.3M" && SVGChart.compact(12_400) == "12k" && SVGChart.compact(1200) == "1.2k")
    }

    @Test("journey graphs lay steps out breadth first and put unreachable steps last")
    func graphLayers() throws {
        let journey = try JourneyDefinition.read(JSONValue.parse("""
            {"key": "j", "name": "J", "trigger": {"event": "Signed Up"}, "start": "a", "steps": {
              "a": {"type": "wait", "duration": {"days": 1}, "next": "b"},
              "b": {"type": "branch", "branches": [{"condition": {"always": true}, "next": "c"}], "otherwise": "d"},
              "c": {"type": "exit"}, "d": {"type": "wait", "duration": {"days": 1}, "next": "a"}, "lost": {"type": "exit"}}}
            """)).0
        let graph = JourneyGraph(definition: try #require(journey), figures: ["a": ["sent 3"]], entered: "3", problems: ["lost"])
        #expect(graph.layers == [["a"], ["b"], ["c", "d"], ["lost"]])
        #expect(graph.svg.contains("class=\"node exit invalid\" data-step=\"lost\""))
        #expect(graph.svg.contains(">otherwise<"))
    }

    @Test("a split's arms are labelled with their share of the total weight, whatever scale the weights use")
    func splitShares() throws {
        for (weights, labels) in [((50.0, 50.0), ("A 50%", "B 50%")), ((1, 3), ("A 25%", "B 75%")), ((0.9, 0.1), ("A 90%", "B 10%"))] {
            let journey = try JourneyDefinition.read(JSONValue.parse("""
                {"key": "j", "name": "J", "trigger": {"event": "Signed Up"}, "start": "s", "steps": {
                  "s": {"type": "split", "arms": [{"name": "A", "weight": \(weights.0), "next": "a"}, {"name": "B", "weight": \(weights.1), "next": "b"}]},
                  "a": {"type": "exit"}, "b": {"type": "exit"}}}
                """)).0
            let svg = JourneyGraph(definition: try #require(journey), figures: [:], entered: "0", problems: []).svg
            #expect(svg.contains(">\(labels.0)<") && svg.contains(">\(labels.1)<"), "\(weights)")
            #expect(!svg.contains("5000%"))
        }
    }

    @Test("CSV cells are quoted when needed and formulas are defused")
    func csv() {
        #expect(CSVWriter.field("plain") == "plain")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVWriter.field("-12.5") == "-12.5")
    }

    @Test("HTML text is escaped in what charts draw")
    func escaping() {
        let chart = BarChart(label: "<script>", bars: [("<b>", 3)]).svg
        #expect(!chart.contains("<script>") && !chart.contains("<b>") && chart.contains("&lt;b&gt;"))
    }
}
