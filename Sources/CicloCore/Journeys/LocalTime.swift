import Foundation

/// Wall-clock arithmetic in a person's own time zone (daylight-saving changes included).
enum LocalTime {
    static func calendar(_ zone: String) -> Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone) ?? .gmt
        return c
    }

    /// The first moment at or after `now` that is `hour:minute` local time on an allowed weekday.
    static func next(_ time: TimeOfDay, after now: Int64, zone: String) -> Int64 {
        let c = calendar(zone)
        let date = Date(epochMilliseconds: now)
        for dayOffset in 0...8 {
            guard let day = c.date(byAdding: .day, value: dayOffset, to: c.startOfDay(for: date)),
                  let candidate = c.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: day) else { continue }
            if candidate.epochMilliseconds >= now && time.weekdays.contains(c.component(.weekday, from: candidate)) {
                return candidate.epochMilliseconds
            }
        }
        return now
    }

    /// When quiet hours covering `now` end, or nil when `now` is not in them.
    static func quietUntil(_ quiet: JourneyRules.QuietHours, now: Int64, zone: String) -> Int64? {
        let c = calendar(zone)
        let date = Date(epochMilliseconds: now)
        let parts = c.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let start = quiet.start.hour * 60 + quiet.start.minute, end = quiet.end.hour * 60 + quiet.end.minute
        let inside = start <= end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        guard inside else { return nil }
        let everyDay = TimeOfDay(hour: quiet.end.hour, minute: quiet.end.minute, weekdays: Set(1...7))
        return next(everyDay, after: now, zone: zone)
    }

    /// The start of the next (or current) occurrence of an hour of the week (0 = Sunday 00:00) in local time.
    static func nextHourOfWeek(_ hourOfWeek: Int, after now: Int64, zone: String) -> Int64 {
        let c = calendar(zone)
        let date = Date(epochMilliseconds: now)
        let parts = c.dateComponents([.weekday, .hour], from: date)
        let current = ((parts.weekday ?? 1) - 1) * 24 + (parts.hour ?? 0)
        let ahead = ((hourOfWeek - current) % 168 + 168) % 168
        guard ahead > 0, let startOfHour = c.date(bySettingHour: parts.hour ?? 0, minute: 0, second: 0, of: date),
              let target = c.date(byAdding: .hour, value: ahead, to: startOfHour) else { return now }
        return target.epochMilliseconds
    }
}
