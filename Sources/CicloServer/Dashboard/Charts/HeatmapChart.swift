import Foundation

/// A matrix of counts as coloured cells (the darker, the more), such as moves from one lifecycle stage to another.
struct HeatmapChart {
    var label: String
    var rows: [String]
    var columns: [String]
    var values: [[Int]]

    var svg: String {
        let cell = 64.0, left = 130.0, top = 60.0
        let width = left + Double(columns.count) * cell + 10, height = top + Double(rows.count) * cell + 10
        let peak = Double(values.flatMap { $0 }.max() ?? 0)
        var out = SVGChart.open(width: width, height: height, label: label)
        out += SVGChart.text(left, 14, "to →", className: "bar-label")
        for (j, column) in columns.enumerated() {
            out += SVGChart.text(left + Double(j) * cell + cell / 2, top - 10, column, anchor: "middle", className: "bar-label")
        }
        for (i, row) in rows.enumerated() {
            out += SVGChart.text(left - 8, top + Double(i) * cell + cell / 2 + 4, row, anchor: "end", className: "bar-label")
            for (j, _) in columns.enumerated() {
                let v = values[i][j]
                let share = peak > 0 ? Double(v) / peak : 0
                let x = left + Double(j) * cell, y = top + Double(i) * cell
                out += "<rect x=\"\(SVGChart.f(x + 1))\" y=\"\(SVGChart.f(y + 1))\" width=\"\(SVGChart.f(cell - 2))\" height=\"\(SVGChart.f(cell - 2))\" rx=\"3\" fill=\"#0f6e66\" fill-opacity=\"\(SVGChart.f(v == 0 ? 0.03 : 0.12 + share * 0.83))\"><title>\(HTMLText.escape(row)) → \(HTMLText.escape(columns[j])): \(v)</title></rect>"
                if v > 0 {
                    out += SVGChart.text(x + cell / 2, y + cell / 2 + 4, SVGChart.compact(Double(v)), anchor: "middle",
                                         className: share > 0.5 ? "on-dark" : "on-light")
                }
            }
        }
        return out + "</svg>"
    }
}
