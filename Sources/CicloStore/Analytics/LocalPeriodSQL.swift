import CicloCore
import Foundation
import SQLKit

/// Calendar periods of a time zone as SQL over a millisecond timestamp column: local day, week (with a chosen first
/// day) or month numbers, correct across daylight-saving changes (the offset switches at each transition).
struct LocalPeriodSQL {
    let zone: TimeZone
    let interval: CalendarInterval
    /// 1 = Sunday … 7 = Saturday.
    let firstWeekday: Int
    let dialect: Dialect

    /// The expression, for timestamps between `from` and `to` (ms).
    func expression(_ column: String, from: Int64, to: Int64) -> String {
        let offsets = ZoneOffsets.between(zone, from: from, to: to)
        var offset = "\(offsets[0].offset)"
        if offsets.count > 1 {
            offset = "CASE" + offsets.dropFirst().reversed().map { " WHEN \(column) >= \($0.at) THEN \($0.offset)" }.joined()
                + " ELSE \(offsets[0].offset) END"
        }
        let day = "((\(column) + (\(offset))) / 86400000)"
        switch interval {
        case .day: return day
        case .week: return "((\(day) + \(shift)) / 7)"
        case .month:
            return dialect == .sqlite
                ? "(CAST(strftime('%Y', \(day) * 86400, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', \(day) * 86400, 'unixepoch') AS INTEGER) - 1)"
                : "(EXTRACT(YEAR FROM to_timestamp(\(day) * 86400) AT TIME ZONE 'UTC')::int * 12 + EXTRACT(MONTH FROM to_timestamp(\(day) * 86400) AT TIME ZONE 'UTC')::int - 1)"
        }
    }

    /// Days to add so that weeks begin on `firstWeekday` (1970-01-01, day 0, was a Thursday).
    var shift: Int { (5 - firstWeekday + 7) % 7 }

    /// The period number of an instant, computed the same way in Swift.
    func period(of ms: Int64) -> Int {
        let day = Int((ms + Int64(zone.secondsFromGMT(for: Date(epochMilliseconds: ms))) * 1000) / 86_400_000)
        switch interval {
        case .day: return day
        case .week: return (day + shift) / 7
        case .month:
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .gmt
            let c = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: Double(day) * 86_400))
            return c.year! * 12 + c.month! - 1
        }
    }

    /// The first instant of a period (ms), for labels and bounds.
    func start(of period: Int) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let firstDay: Int
        switch interval {
        case .day: firstDay = period
        case .week: firstDay = period * 7 - shift
        case .month:
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = .gmt
            let date = utc.date(from: DateComponents(year: period / 12, month: period % 12 + 1, day: 1))!
            firstDay = Int(date.timeIntervalSince1970 / 86_400)
        }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = .gmt
        let c = utc.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(firstDay) * 86_400))
        return calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day))!.epochMilliseconds
    }
}
