import Foundation

/// Calendar periods in a time zone (days, weeks, months), with their exact start and end instants, correct across
/// daylight-saving changes: a report groups by these boundaries, not by fixed 24-hour steps.
public enum CalendarInterval: String, Sendable, CaseIterable, Codable {
    case day, week, month

    /// A period's usual length, to go back a number of periods (the calendar decides where each one starts).
    public var approximateSeconds: Double {
        switch self {
        case .day: 86_400
        case .week: 7 * 86_400
        case .month: 30.44 * 86_400
        }
    }

    /// How many periods cover `days` days (at least 1, at most `limit`).
    public func periods(covering days: Int, limit: Int) -> Int {
        min(limit, max(1, Int(saturating: Double(days) * 86_400 / approximateSeconds, rounding: .up)))
    }
}

/// One calendar period.
public struct CalendarBucket: Sendable, Equatable, Codable {
    /// First instant (ms, inclusive).
    public var start: Int64
    /// First instant of the next period (ms, exclusive).
    public var end: Int64
    /// The local date it starts on (`2026-03-29`).
    public var label: String
}

extension CalendarBucket {
    /// The periods covering `[from, to)` in `timeZone`; weeks start on `firstWeekday` (1 Sunday … 7 Saturday).
    public static func periods(from: Date, to: Date, interval: CalendarInterval, timeZone: TimeZone,
                               firstWeekday: Int = 2, limit: Int = 1_000) -> [CalendarBucket] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = firstWeekday
        var start: Date
        switch interval {
        case .day: start = calendar.startOfDay(for: from)
        case .week: start = calendar.dateInterval(of: .weekOfYear, for: from)?.start ?? calendar.startOfDay(for: from)
        case .month: start = calendar.dateInterval(of: .month, for: from)?.start ?? calendar.startOfDay(for: from)
        }
        let component: Calendar.Component = interval == .day ? .day : interval == .week ? .weekOfYear : .month
        var buckets: [CalendarBucket] = []
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        while start < to && buckets.count < limit {
            guard let next = calendar.date(byAdding: component, value: 1, to: start) else { break }
            buckets.append(CalendarBucket(start: start.epochMilliseconds, end: next.epochMilliseconds, label: formatter.string(from: start)))
            start = next
        }
        return buckets
    }
}
