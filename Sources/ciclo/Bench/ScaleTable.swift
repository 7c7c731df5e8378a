import Foundation

/// The reports of `bench scale`, one per size, lined up by figure: a column per size and the ratio of the largest
/// size's value to the smallest's (for times, how much slower; for rates, below 1 means slower).
struct ScaleTable {
    /// One figure across sizes.
    struct Row {
        var name: String
        var unit: String
        var cells: [BenchReport.Figure?]
    }

    let reports: [(size: Int, report: BenchReport)]

    /// Rows in the order figures first appear; a name that repeats within a report (a sub-line such as "stage changes
    /// written" after each recompute) is matched by its occurrence, so the second never lines up with the first.
    var rows: [Row] {
        var order: [String] = []
        var byKey: [String: Row] = [:]
        for (column, entry) in reports.enumerated() {
            var seen: [String: Int] = [:]
            for figure in entry.report.figures {
                let occurrence = seen[figure.name, default: 0]
                seen[figure.name] = occurrence + 1
                let key = "\(figure.name)#\(occurrence)"
                if byKey[key] == nil {
                    order.append(key)
                    byKey[key] = Row(name: figure.name, unit: figure.unit, cells: Array(repeating: nil, count: reports.count))
                }
                byKey[key]?.cells[column] = figure
            }
        }
        return order.compactMap { byKey[$0] }
    }

    /// The largest size's value over the smallest's, when both were measured and the smallest is above zero.
    static func ratio(_ row: Row) -> Double? {
        guard let first = row.cells.first ?? nil, let last = row.cells.last ?? nil, row.cells.count > 1,
              first.failed == nil, last.failed == nil, first.value > 0 else { return nil }
        return last.value / first.value
    }

    func print(json: Bool) {
        if json {
            for entry in reports { entry.report.print(json: true) }
            return
        }
        let engine = reports.first?.report.engine ?? "sqlite"
        say("\nscale on \(engine)")
        let rows = self.rows
        let width = min(72, max(24, rows.map(\.name.count).max() ?? 24))
        let sizes = reports.map { "\($0.size.formatted()) visitors" }
        var header = "  " + "figure".padding(toLength: width, withPad: " ", startingAt: 0)
        for size in sizes { header += "  " + String(repeating: " ", count: max(0, 18 - size.count)) + size }
        say(header + (reports.count > 1 ? "       ratio" : "") + "  unit")
        for row in rows {
            var line = "  " + String(row.name.prefix(width)).padding(toLength: width, withPad: " ", startingAt: 0)
            for cell in row.cells {
                let text = cell.map { $0.failed == nil ? $0.text : "failed" } ?? "-"
                line += "  " + String(repeating: " ", count: max(0, 18 - text.count)) + text
            }
            if reports.count > 1 {
                let ratio = Self.ratio(row).map { String(format: "%.1f×", $0) } ?? "-"
                line += String(repeating: " ", count: max(0, 12 - ratio.count)) + ratio
            }
            say(line + "  " + row.unit)
        }
        for row in rows {
            for (column, cell) in row.cells.enumerated() {
                if let failed = cell?.failed { say("  note: \(row.name.trimmingCharacters(in: .whitespaces)) at \(sizes[column]): \(failed)") }
            }
        }
    }
}
