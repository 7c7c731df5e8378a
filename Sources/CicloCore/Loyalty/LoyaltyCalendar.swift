import Foundation

/// Dates as the program sees them: days end at midnight in the program's time zone.
public struct LoyaltyCalendar: Sendable {
    public let calendar: Calendar

    /// A calendar in `timeZone` (UTC when unknown).
    public init(timeZone: String) {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        calendar = c
    }

    /// The first instant after the local day that is `days` after the day of `ms`: spendable before it, expired from it.
    public func endOfDay(_ ms: Int64, plusDays days: Int) -> Int64 {
        let day = calendar.startOfDay(for: Date(epochMilliseconds: ms))
        let end = calendar.date(byAdding: .day, value: days + 1, to: day) ?? day
        return end.epochMilliseconds
    }

    /// `ms` moved by whole calendar months (the same local time, clamped to the month's last day).
    public func adding(months: Int, to ms: Int64) -> Int64 {
        (calendar.date(byAdding: .month, value: months, to: Date(epochMilliseconds: ms)) ?? Date(epochMilliseconds: ms)).epochMilliseconds
    }

    /// `ms` moved by whole local days.
    public func adding(days: Int, to ms: Int64) -> Int64 {
        (calendar.date(byAdding: .day, value: days, to: Date(epochMilliseconds: ms)) ?? Date(epochMilliseconds: ms)).epochMilliseconds
    }

    /// The key of the cap period holding `ms`: `2027-06-20`, `2027-W25`, `2027-06`, `2027` or `ever`.
    public func periodKey(_ period: LoyaltyProgram.Period, at ms: Int64) -> String {
        let date = Date(epochMilliseconds: ms)
        let c = calendar.dateComponents([.year, .month, .day, .yearForWeekOfYear, .weekOfYear], from: date)
        let (y, m, d) = (c.year ?? 0, c.month ?? 0, c.day ?? 0)
        switch period {
        case .day: return String(format: "%04d-%02d-%02d", y, m, d)
        case .week:
            var iso = Calendar(identifier: .iso8601)
            iso.timeZone = calendar.timeZone
            let w = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return String(format: "%04d-W%02d", w.yearForWeekOfYear ?? y, w.weekOfYear ?? 0)
        case .month: return String(format: "%04d-%02d", y, m)
        case .year: return String(format: "%04d", y)
        case .ever: return "ever"
        }
    }

    /// The local month and day of `ms` as `MM-DD`, how birthdays are matched.
    public func monthDay(_ ms: Int64) -> String {
        let c = calendar.dateComponents([.month, .day], from: Date(epochMilliseconds: ms))
        return String(format: "%02d-%02d", c.month ?? 0, c.day ?? 0)
    }

    /// The local year of `ms`.
    public func year(_ ms: Int64) -> Int { calendar.component(.year, from: Date(epochMilliseconds: ms)) }

    /// A birthday trait (`1990-06-20`, `06-20` or `--06-20`) as `MM-DD`, or nil when it is not a date.
    public static func birthdayMonthDay(_ text: String) -> String? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-").map(String.init).filter { !$0.isEmpty }
        guard parts.count >= 2, let m = Int(parts[parts.count == 2 ? 0 : 1].prefix(2)), let d = Int(parts[parts.count == 2 ? 1 : 2].prefix(2)),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return String(format: "%02d-%02d", m, d)
    }
}
