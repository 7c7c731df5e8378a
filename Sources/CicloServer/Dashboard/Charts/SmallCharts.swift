import Foundation

/// A tiny line with no axes, for a trend beside a number.
struct Sparkline {
    var values: [Double]

    var svg: String {
        let width = 120.0, height = 28.0
        let peak = max(values.max() ?? 0, 1)
        guard values.count > 1 else { return "" }
        let points = values.enumerated().map { i, v in
            "\(SVGChart.f(Double(i) / Double(values.count - 1) * width)),\(SVGChart.f(height - 2 - v / peak * (height - 4)))"
        }.joined(separator: " ")
        return "<svg class=\"spark\" viewBox=\"0 0 \(SVGChart.f(width)) \(SVGChart.f(height))\" width=\"120\" height=\"28\" role=\"img\" aria-label=\"trend\" xmlns=\"http://www.w3.org/2000/svg\"><polyline points=\"\(points)\" fill=\"none\" stroke=\"#0f6e66\" stroke-width=\"1.6\"/></svg>"
    }
}

/// Effects with their intervals as error bars around zero, one row per comparison.
struct IntervalChart {
    var label: String
    var rows: [(name: String, effect: Double, lower: Double, upper: Double)]

    var svg: String {
        let width = 760.0, row = 30.0, left = 220.0, right = 20.0
        let height = Double(rows.count) * row + 30
        let extent = max(0.05, rows.flatMap { [abs($0.lower), abs($0.upper)] }.filter(\.isFinite).max() ?? 0.05) * 1.1
        func x(_ v: Double) -> Double { left + (v + extent) / (2 * extent) * (width - left - right) }
        var out = SVGChart.open(width: width, height: height, label: label)
        out += "<line x1=\"\(SVGChart.f(x(0)))\" x2=\"\(SVGChart.f(x(0)))\" y1=\"0\" y2=\"\(SVGChart.f(height - 20))\" stroke=\"#94a3b8\" stroke-dasharray=\"3 3\"/>"
        out += SVGChart.text(x(0), height - 6, "0", anchor: "middle")
        out += SVGChart.text(x(-extent), height - 6, DashboardFormat.percent(-extent, decimals: 0), anchor: "start")
        out += SVGChart.text(x(extent), height - 6, "+" + DashboardFormat.percent(extent, decimals: 0), anchor: "end")
        for (i, r) in rows.enumerated() {
            let y = Double(i) * row + 16
            let color = r.lower > 0 ? "#15803d" : r.upper < 0 ? "#b45309" : "#64748b"
            out += SVGChart.text(left - 10, y + 4, r.name, anchor: "end", className: "bar-label")
            out += "<line x1=\"\(SVGChart.f(x(max(-extent, r.lower))))\" x2=\"\(SVGChart.f(x(min(extent, r.upper))))\" y1=\"\(SVGChart.f(y))\" y2=\"\(SVGChart.f(y))\" stroke=\"\(color)\" stroke-width=\"3\"/>"
            out += "<circle cx=\"\(SVGChart.f(x(r.effect)))\" cy=\"\(SVGChart.f(y))\" r=\"5\" fill=\"\(color)\"><title>\(HTMLText.escape(r.name)): \(DashboardFormat.percent(r.effect)) (\(r.lower.isFinite ? DashboardFormat.percent(r.lower) : "−∞") to \(r.upper.isFinite ? DashboardFormat.percent(r.upper) : "+∞"))</title></circle>"
        }
        return out + "</svg>"
    }
}
