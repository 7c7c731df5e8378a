import Foundation

/// Named RFM segments by score ranges, first matching rule wins; anything unmatched is `Others`.
public struct RFMRules: Sendable, Equatable {
    /// One named range of recency, frequency and monetary scores (1–5, inclusive).
    public struct Rule: Sendable, Equatable {
        public var name: String
        public var recency: ClosedRange<Int>
        public var frequency: ClosedRange<Int>
        public var monetary: ClosedRange<Int>

        public init(_ name: String, _ r: ClosedRange<Int>, _ f: ClosedRange<Int>, _ m: ClosedRange<Int>) {
            self.name = name
            recency = r
            frequency = f
            monetary = m
        }
    }

    /// Rules in the order they are tried.
    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    /// The defaults. The narrower rules (New Customers, Promising, Can't Lose Them) come before the broader ones
    /// that contain them (Potential Loyalist, At Risk), so that every named segment can be reached.
    public static let standard = RFMRules(rules: [
        Rule("Champions", 4...5, 4...5, 4...5),
        Rule("Can't Lose Them", 1...1, 4...5, 4...5),
        Rule("Loyal Customers", 2...5, 3...5, 3...5),
        Rule("New Customers", 4...5, 1...1, 1...1),
        Rule("Promising", 3...4, 1...1, 1...1),
        Rule("Potential Loyalist", 3...5, 1...3, 1...3),
        Rule("Need Attention", 2...3, 2...3, 2...3),
        Rule("About To Sleep", 2...3, 1...2, 1...2),
        Rule("At Risk", 1...2, 2...5, 2...5),
        Rule("Hibernating", 2...2, 1...2, 1...2),
        Rule("Lost", 1...1, 1...2, 1...2),
    ])

    /// The segment name for scores.
    public func segment(r: Int, f: Int, m: Int) -> String {
        rules.first { $0.recency.contains(r) && $0.frequency.contains(f) && $0.monetary.contains(m) }?.name ?? "Others"
    }

    /// The rules as JSON.
    public var json: JSONValue {
        .array(rules.map {
            ["name": .string($0.name), "recency": [.int(Int64($0.recency.lowerBound)), .int(Int64($0.recency.upperBound))],
             "frequency": [.int(Int64($0.frequency.lowerBound)), .int(Int64($0.frequency.upperBound))],
             "monetary": [.int(Int64($0.monetary.lowerBound)), .int(Int64($0.monetary.upperBound))]]
        })
    }

    /// Reads rules from JSON; each range is [low, high] within 1–5.
    public static func parse(_ json: JSONValue) throws -> RFMRules {
        guard case .array(let list) = json, !list.isEmpty else {
            throw CicloError.badRequest("invalid_rfm_rules", "RFM rules are a non-empty list of {name, recency, frequency, monetary}.")
        }
        return RFMRules(rules: try list.enumerated().map { i, item in
            func range(_ key: String) throws -> ClosedRange<Int> {
                guard let pair = item[key]?.arrayValue, pair.count == 2, let low = pair[0].intValue, let high = pair[1].intValue,
                      1 <= low, low <= high, high <= 5 else {
                    throw CicloError.badRequest("invalid_rfm_rules", "rules[\(i)].\(key) must be [low, high] with 1 ≤ low ≤ high ≤ 5.")
                }
                return Int(low)...Int(high)
            }
            guard let name = item["name"]?.stringValue, !name.isEmpty else {
                throw CicloError.badRequest("invalid_rfm_rules", "rules[\(i)].name is missing.")
            }
            return Rule(name, try range("recency"), try range("frequency"), try range("monetary"))
        })
    }
}
