import Foundation

/// Shared pieces of the server-drawn charts: number formatting for axes and a tidy axis scale.
enum SVGChart {
    /// A "nice" axis maximum and step for values up to `max`, with about `ticks` gridlines.
    static func scale(max value: Double, ticks: Int = 4) -> (max: Double, step: Double) {
        guard value > 0, value.isFinite else { return (1, 0.25) }
        let raw = value / Double(ticks)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        return (step * ceil(value / step), step)
    }

    /// 1234 → "1.2k", 2500000 → "2.5M".
    static func compact(_ value: Double) -> String {
        let a = abs(value)
        func trim(_ s: String) -> String { s.hasSuffix(".0") ? String(s.dropLast(2)) : s }
        if a >= 1_000_000 { return trim(String(format: "%.1f", value / 1_000_000)) + "M" }
        if a >= 10_000 { return trim(String(format: "%.0f", value / 1000)) + "k" }
        if a >= 1000 { return trim(String(format: "%.1f", value / 1000)) + "k" }
        if a == a.rounded() { return String(Int(value)) }
        return String(format: "%.1f", value)
    }

    static func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start", className: String? = nil) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\"\(className.map { " class=\"\($0)\"" } ?? "")>\(HTMLText.escape(content))</text>"
    }

    /// Coordinates with one decimal, so the markup stays small.
    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func open(width: Double, height: Double, label: String) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\" xmlns=\"http://www.w3.org/2000/svg\">"
    }
}
