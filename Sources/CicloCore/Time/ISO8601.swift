import Foundation

/// Reads and writes the ISO 8601 timestamps that tracking clients send (`2024-05-01T10:00:00.123456+02:00`).
public enum ISO8601 {
    /// Parses a timestamp with optional fraction and offset (no offset means UTC); nil when it is not one.
    public static func parse(_ text: String) -> Date? {
        var bytes = Array(text.utf8)
        // Trim surrounding spaces some clients leave.
        while bytes.last == 0x20 { bytes.removeLast() }
        var i = 0
        while i < bytes.count && bytes[i] == 0x20 { i += 1 }
        func digits(_ n: Int) -> Int? {
            guard i + n <= bytes.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = bytes[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offsetSeconds = 0
        if i < bytes.count, bytes[i] == 0x54 || bytes[i] == 0x74 || bytes[i] == 0x20 {
            i += 1
            guard let h = digits(2), expect(0x3A), let m = digits(2) else { return nil }
            hour = h
            minute = m
            if expect(0x3A) {
                guard let s = digits(2) else { return nil }
                second = s
                if i < bytes.count, bytes[i] == 0x2E || bytes[i] == 0x2C {
                    i += 1
                    var scale = 0.1
                    var any = false
                    while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                        fraction += Double(bytes[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                        any = true
                    }
                    guard any else { return nil }
                }
            }
            if i < bytes.count {
                let c = bytes[i]
                if c == 0x5A || c == 0x7A {
                    i += 1
                } else if c == 0x2B || c == 0x2D {
                    i += 1
                    guard let oh = digits(2), oh <= 18 else { return nil }
                    _ = expect(0x3A)
                    let om = digits(2) ?? 0
                    guard om < 60 else { return nil }
                    offsetSeconds = (oh * 3600 + om * 60) * (c == 0x2D ? -1 : 1)
                }
            }
        }
        guard i == bytes.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Formats an instant in UTC with milliseconds (`2024-05-01T08:00:00.123Z`).
    public static func format(_ date: Date) -> String {
        let ms = date.epochMilliseconds
        var days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let msOfDay = ms - days * 86_400_000
        let (y, m, d) = civilFromDays(Int(days))
        days = 0
        let h = msOfDay / 3_600_000, mi = (msOfDay / 60_000) % 60, s = (msOfDay / 1000) % 60, f = msOfDay % 1000
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, Int(h), Int(mi), Int(s), Int(f))
    }

    /// The number of days in a month of the proleptic Gregorian calendar (`2024-02-30` is not a date).
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The Gregorian date of a day count since 1970-01-01.
    public static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
