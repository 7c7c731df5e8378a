import Foundation

/// The ranges a tracking message's numbers and times must fall in. What is outside is refused at ingest with a reason
/// (and kept as a dead letter by the batch route), so no later step ever computes with it.
public enum TrackingRanges {
    /// The earliest instant an event may carry: the Unix epoch.
    public static let earliest = Date(timeIntervalSince1970: 0)
    /// The first instant an event may no longer carry: 2100-01-01.
    public static let latest = Date(timeIntervalSince1970: 4_102_444_800)

    /// Property names that hold money, in major units, at the top level and on each product line.
    public static let amountKeys = ["revenue", "total", "subtotal", "value", "price", "amount", "discount", "shipping", "tax"]
    /// Property names that hold a count of items.
    public static let quantityKeys = ["quantity"]

    /// True when `date` lies in the accepted range.
    public static func accepts(_ date: Date) -> Bool { date >= earliest && date < latest }

    /// Why the numbers in `properties` cannot be stored, or nil when they are sane.
    public static func rejection(properties: JSONValue) -> IngestRejection? {
        if let problem = problem(in: properties, at: "properties") { return problem }
        guard case .array(let lines) = properties["products"] ?? .null else { return nil }
        for (index, line) in lines.enumerated() {
            if let problem = problem(in: line, at: "properties.products[\(index)]") { return problem }
        }
        return nil
    }

    private static func problem(in object: JSONValue, at path: String) -> IngestRejection? {
        guard case .object(let fields) = object else { return nil }
        for (keys, limit) in [(amountKeys, SaneNumber.maxAmount), (quantityKeys, SaneNumber.maxQuantity)] {
            for key in keys {
                guard let value = fields[key], let number = Self.number(value) else { continue }
                if !SaneNumber.isWithin(number, limit) {
                    return IngestRejection(code: "number_out_of_range",
                        message: "\(path).\(key) must be a finite number between -\(Self.text(limit)) and \(Self.text(limit)).")
                }
            }
        }
        return nil
    }

    /// The number a value holds, including text that spells one (`"1e19"`, `"nan"`, `"inf"`), finite or not.
    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    private static func text(_ limit: Double) -> String { limit >= 1e12 ? "1e12" : String(Int(saturating: limit)) }
}
