import CicloCore
import Foundation

/// How numbers, money and times read on the dashboard.
enum DashboardFormat {
    /// 1234567 → "1,234,567".
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func percent(_ share: Double, decimals: Int = 1) -> String {
        guard share.isFinite else { return "–" }
        return String(format: "%.\(decimals)f%%", share * 100)
    }

    static func money(_ amount: Double, currency: String = "USD") -> String { TemplateRenderer.money(amount, currency: currency) }

    /// "2026-11-28 14:05" in the workspace's zone.
    static func time(_ ms: Int64?, zone: TimeZone) -> String {
        guard let ms else { return "–" }
        return stamp(Date(epochMilliseconds: ms), zone: zone, format: "yyyy-MM-dd HH:mm")
    }

    /// "2026-11-28".
    static func day(_ date: Date, zone: TimeZone) -> String { stamp(date, zone: zone, format: "yyyy-MM-dd") }

    /// "28 Nov".
    static func shortDay(_ date: Date, zone: TimeZone) -> String { stamp(date, zone: zone, format: "d MMM") }

    static func stamp(_ date: Date, zone: TimeZone, format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    /// The change from `previous` to `current`: text and direction, or nil without a base.
    static func change(_ current: Double, _ previous: Double) -> (text: String, direction: String)? {
        guard previous != 0 else { return current == 0 ? nil : ("new", "up") }
        let share = (current - previous) / abs(previous)
        let direction = share > 0.005 ? "up" : share < -0.005 ? "down" : "flat"
        return ((share >= 0 ? "+" : "") + percent(share), direction)
    }

    /// Days as "3.5 days".
    static func days(_ d: Double?) -> String {
        guard let d else { return "–" }
        return d < 10 ? String(format: "%.1f days", d) : String(format: "%.0f days", d)
    }
}
