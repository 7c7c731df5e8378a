import Foundation

/// Vertical bars with their values on top, for counts per period or per category.
struct BarChart {
    var label: String
    var bars: [(label: String, value: Double)]
    var format: (Double) -> String = SVGChart.compact

    var svg: String {
        let width = 760.0, height = 220.0, left = 44.0, bottom = 30.0, top = 18.0
        let plotW = width - left - 8, plotH = height - top - bottom
        let (maxY, step) = SVGChart.scale(max: bars.map(\.value).max() ?? 0)
        var out = SVGChart.open(width: width, height: height, label: label)
        var tick = 0.0
        while tick <= maxY + step / 2 {
            let y = top + plotH - tick / maxY * plotH
            out += "<line x1=\"\(SVGChart.f(left))\" x2=\"\(SVGChart.f(width - 8))\" y1=\"\(SVGChart.f(y))\" y2=\"\(SVGChart.f(y))\" stroke=\"#e5e8ef\"/>"
            out += SVGChart.text(left - 6, y + 4, format(tick), anchor: "end")
            tick += step
        }
        let slot = plotW / Double(max(1, bars.count))
        let every = max(1, Int((Double(bars.count) / 12).rounded(.up)))
        for (i, bar) in bars.enumerated() {
            let h = bar.value / maxY * plotH
            let x = left + Double(i) * slot + slot * 0.15
            out += "<rect x=\"\(SVGChart.f(x))\" y=\"\(SVGChart.f(top + plotH - h))\" width=\"\(SVGChart.f(slot * 0.7))\" height=\"\(SVGChart.f(h))\" fill=\"#0f6e66\" rx=\"2\"><title>\(HTMLText.escape(bar.label)): \(HTMLText.escape(format(bar.value)))</title></rect>"
            if i % every == 0 { out += SVGChart.text(x + slot * 0.35, height - 10, bar.label, anchor: "middle") }
            if bars.count <= 16, bar.value > 0 { out += SVGChart.text(x + slot * 0.35, top + plotH - h - 4, format(bar.value), anchor: "middle", className: "value-label") }
        }
        return out + "</svg>"
    }
}
