import Foundation

extension TemplateRenderer {
    func apply(_ name: String, _ argument: JSONValue?, _ value: JSONValue?) -> JSONValue? {
        switch name {
        case "default": return Self.truthy(value) || value?.boolValue == false ? value : argument
        case "upcase": return value.map { .string(Self.text($0).uppercased()) }
        case "downcase": return value.map { .string(Self.text($0).lowercased()) }
        case "capitalize":
            return value.map { v in let t = Self.text(v); return .string(t.prefix(1).uppercased() + t.dropFirst()) }
        case "escape": return value.map { .string(Self.escape(Self.text($0))) }
        case "url_encode":
            return value.map { .string(Self.text($0).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))) ?? "") }
        case "truncate":
            guard let v = value else { return nil }
            let t = Self.text(v), n = Int(max(0, min(Int64(Self.maxOutputBytes), argument?.intValue ?? 50)))
            return .string(t.count > n ? String(t.prefix(max(0, n - 1))) + "…" : t)
        case "size": return .int(Int64(value?.arrayValue?.count ?? value?.stringValue?.count ?? 0))
        case "first": return value?.arrayValue?.first
        case "last": return value?.arrayValue?.last
        case "round":
            guard let d = value?.doubleValue else { return value }
            let places = Double(max(0, min(15, argument?.intValue ?? 0))), scale = pow(10, places)
            let rounded = (d * scale).rounded() / scale
            return .double(rounded.isFinite ? rounded : d)
        case "plus", "minus", "times":
            guard let a = value?.doubleValue, let b = argument?.doubleValue else { return value }
            let result = name == "plus" ? a + b : name == "minus" ? a - b : a * b
            return result.isFinite ? .double(result) : value
        case "money":
            guard let amount = value?.doubleValue else { return value }
            return .string(Self.money(amount, currency: argument?.stringValue ?? currency))
        case "date":
            let ms = value?.stringValue.flatMap(ISO8601.parse)?.epochMilliseconds ?? value?.intValue
            // Outside year 0 to 9999 a date is no date: Foundation's calendar has nothing sensible to say about it.
            guard let ms, ms > -253_402_300_800_000, ms < 253_402_300_800_000 else { return value }
            return .string(Self.date(Date(epochMilliseconds: ms), format: argument?.stringValue ?? "long", zone: timeZone))
        default: return value
        }
    }

    /// An amount with its currency symbol and thousands separators: `$1,234.50`.
    public static func money(_ amount: Double, currency: String) -> String {
        let symbols = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "BRL": "R$", "AUD": "A$", "CAD": "C$", "CHF": "CHF "]
        let decimals = currency == "JPY" ? 0 : 2
        guard amount.isFinite else { return "" }
        let digits = String(format: "%.\(decimals)f", abs(amount))
        let parts = digits.split(separator: ".")
        var whole = String(parts.first ?? "0")
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        let number = whole + grouped + (parts.count > 1 ? "." + parts[1] : "")
        return (amount < 0 ? "-" : "") + (symbols[currency] ?? currency + " ") + number
    }

    static func date(_ date: Date, format: String, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        guard let y = c.year, let m = c.month, let d = c.day, let h = c.hour, let mi = c.minute, let wd = c.weekday,
              months.indices.contains(m - 1), days.indices.contains(wd - 1) else { return "" }
        switch format {
        case "short": return String(format: "%04d-%02d-%02d", y, m, d)
        case "long": return "\(months[m - 1]) \(d), \(y)"
        default:
            var out = ""
            var chars = format.makeIterator()
            while let ch = chars.next() {
                guard ch == "%", let spec = chars.next() else { out.append(ch); continue }
                switch spec {
                case "Y": out += String(y)
                case "m": out += String(format: "%02d", m)
                case "d": out += String(format: "%02d", d)
                case "e": out += String(d)
                case "H": out += String(format: "%02d", h)
                case "M": out += String(format: "%02d", mi)
                case "B": out += months[m - 1]
                case "b": out += String(months[m - 1].prefix(3))
                case "A": out += days[wd - 1]
                case "a": out += String(days[wd - 1].prefix(3))
                default: out += "%" + String(spec)
                }
            }
            return out
        }
    }
}
