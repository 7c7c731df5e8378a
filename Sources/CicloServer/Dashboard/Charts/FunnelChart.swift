import Foundation

/// A lifecycle funnel: one bar per stage for the people who reached it, with the conversion from the stage before.
struct FunnelChart {
    struct Stage {
        var label: String
        /// People in this stage or a later one.
        var reached: Int
        /// People in exactly this stage now.
        var inStage: Int
    }

    var stages: [Stage]

    var svg: String {
        let width = 960.0, row = 50.0, left = 160.0, right = 300.0
        let height = Double(stages.count) * row + 10
        let top = Double(stages.map(\.reached).max() ?? 0)
        var out = SVGChart.open(width: width, height: height, label: "Lifecycle funnel: people who reached each stage")
        for (i, stage) in stages.enumerated() {
            let y = Double(i) * row + 6
            let share = top > 0 ? Double(stage.reached) / top : 0
            let barWidth = max(2, share * (width - left - right))
            let x = left + (width - left - right - barWidth) / 2
            out += "<rect x=\"\(SVGChart.f(x))\" y=\"\(SVGChart.f(y))\" width=\"\(SVGChart.f(barWidth))\" height=\"\(SVGChart.f(row - 14))\" rx=\"4\" fill=\"#0f6e66\" fill-opacity=\"\(SVGChart.f(0.95 - Double(i) * 0.1))\"/>"
            out += SVGChart.text(left - 10, y + row / 2 - 3, stage.label, anchor: "end", className: "bar-label")
            out += SVGChart.text(width - right + 10, y + row / 2 - 9, "\(DashboardFormat.count(stage.reached)) reached", className: "value-label")
            var detail = "\(DashboardFormat.count(stage.inStage)) here now"
            if i > 0, stages[i - 1].reached > 0 {
                detail += " · " + DashboardFormat.percent(Double(stage.reached) / Double(stages[i - 1].reached)) + " of previous"
            }
            out += SVGChart.text(width - right + 10, y + row / 2 + 6, detail)
        }
        return out + "</svg>"
    }
}
