import Foundation

/// A line over time for the current period, with the previous period drawn lighter behind it.
struct LineChart {
    var label: String
    var xLabels: [String]
    var current: [Double]
    var previous: [Double]?
    var format: (Double) -> String = SVGChart.compact

    var svg: String {
        let width = 760.0, height = 240.0, left = 52.0, right = 12.0, top = 12.0, bottom = 28.0
        let plotW = width - left - right, plotH = height - top - bottom
        let peak = max(current.max() ?? 0, previous?.max() ?? 0)
        let trough = min(0, current.min() ?? 0, previous?.min() ?? 0)
        let (span, step) = SVGChart.scale(max: peak - trough)
        // The axis starts at zero, or one step below the lowest negative value (net revenue after refunds can dip).
        let minY = trough < 0 ? -step * (-trough / step).rounded(.up) : 0
        let maxY = minY + span + (trough < 0 ? step : 0)
        let n = max(current.count, previous?.count ?? 0)
        func x(_ i: Int) -> Double { left + (n > 1 ? Double(i) / Double(n - 1) * plotW : plotW / 2) }
        func y(_ v: Double) -> Double { top + plotH - (v - minY) / (maxY - minY) * plotH }
        var out = SVGChart.open(width: width, height: height, label: label)
        var tick = minY
        while tick <= maxY + step / 2 {
            out += "<line x1=\"\(SVGChart.f(left))\" x2=\"\(SVGChart.f(width - right))\" y1=\"\(SVGChart.f(y(tick)))\" y2=\"\(SVGChart.f(y(tick)))\" stroke=\"#e5e8ef\"/>"
            out += SVGChart.text(left - 6, y(tick) + 4, format(tick), anchor: "end")
            tick += step
        }
        let every = max(1, Int((Double(xLabels.count) / 8).rounded(.up)))
        for (i, text) in xLabels.enumerated() where i % every == 0 {
            out += SVGChart.text(x(i), height - 8, text, anchor: "middle")
        }
        func path(_ values: [Double]) -> String {
            values.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(SVGChart.f(x($0.offset))),\(SVGChart.f(y($0.element)))" }.joined()
        }
        if let previous, !previous.isEmpty {
            out += "<path d=\"\(path(previous))\" fill=\"none\" stroke=\"#a5b4cf\" stroke-width=\"2\" stroke-dasharray=\"5 4\"/>"
        }
        if !current.isEmpty {
            out += "<path d=\"\(path(current) + "L\(SVGChart.f(x(current.count - 1))),\(SVGChart.f(y(max(0, minY))))L\(SVGChart.f(x(0))),\(SVGChart.f(y(max(0, minY))))Z")\" fill=\"#0f6e66\" fill-opacity=\"0.08\"/>"
            out += "<path d=\"\(path(current))\" fill=\"none\" stroke=\"#0f6e66\" stroke-width=\"2.2\"/>"
        }
        return out + "</svg>"
    }
}
