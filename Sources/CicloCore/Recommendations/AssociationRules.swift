import Foundation

/// A set of items with its support (share of baskets that hold all of them).
public struct FrequentItemset: Sendable, Equatable {
    public var items: [String]
    public var support: Double
}

/// An association rule A → C with its measures; `conviction` is infinite when the rule never fails.
public struct AssociationRule: Sendable, Equatable {
    public var antecedent: [String]
    public var consequent: [String]
    public var support: Double
    public var confidence: Double
    public var lift: Double
    public var leverage: Double
    public var conviction: Double

    /// The rule as JSON; an infinite conviction is written as the string "Infinity", never as a bare number.
    public var json: JSONValue {
        ["antecedent": .array(antecedent.map { .string($0) }), "consequent": .array(consequent.map { .string($0) }),
         "support": .double(support), "confidence": .double(confidence), "lift": .double(lift), "leverage": .double(leverage),
         "conviction": conviction.isFinite ? .double(conviction) : .string("Infinity")]
    }
}

/// Apriori over baskets of distinct items: frequent itemsets at a minimum support, then every rule they allow.
public struct AssociationRules: Sendable {
    public let itemsets: [FrequentItemset]
    public let rules: [AssociationRule]
    public let baskets: Int

    public init(baskets input: [Set<String>], minSupport: Double, maxLength: Int = 3) {
        let n = Double(max(input.count, 1))
        baskets = input.count
        let minCount = max(1, Int(saturating: minSupport * n - 1e-9, rounding: .up))
        var counts: [String: Int] = [:]
        for basket in input { for item in basket { counts[item, default: 0] += 1 } }
        var level = counts.filter { $0.value >= minCount }.keys.sorted().map { [$0] }
        var support: [[String]: Int] = Dictionary(uniqueKeysWithValues: level.map { ($0, counts[$0[0]]!) })
        var length = 1
        // Only the frequent items matter from here on: shrink every basket to them once.
        let frequentItems = Set(level.map { $0[0] })
        let trimmed = input.map { $0.intersection(frequentItems) }.filter { $0.count >= 2 }
        while !level.isEmpty, length < maxLength {
            length += 1
            let previous = Set(level)
            var candidates = Set<[String]>()
            for i in level.indices {
                for j in level.indices where j > i && level[i].dropLast() == level[j].dropLast() {
                    let candidate = (level[i] + [level[j].last!]).sorted()
                    // Every subset one shorter must be frequent (the Apriori property).
                    if candidate.indices.allSatisfy({ k in previous.contains(candidate.enumerated().filter { $0.offset != k }.map(\.element)) }) {
                        candidates.insert(candidate)
                    }
                }
            }
            var found: [[String]: Int] = [:]
            for basket in trimmed where basket.count >= length {
                // A basket counts the candidates it holds: by listing its own subsets of this length when there are
                // fewer of those than candidates (orders are small), else by testing each candidate. Testing every
                // candidate against every basket was about 40,000 orders × 28,000 pairs at 100,000 visitors: most of training.
                if Self.subsets(of: basket.count, length, atMost: candidates.count) {
                    Self.forEachSubset(of: basket.sorted(), length) { subset in
                        if candidates.contains(subset) { found[subset, default: 0] += 1 }
                    }
                } else {
                    for candidate in candidates where candidate.allSatisfy(basket.contains) { found[candidate, default: 0] += 1 }
                }
            }
            level = found.filter { $0.value >= minCount }.keys.sorted { $0.lexicographicallyPrecedes($1) }
            for itemset in level { support[itemset] = found[itemset] }
        }
        // Sorted by size, then by items, so output is the same on every run and engine.
        func key(_ items: [String]) -> String { String(format: "%03d", items.count) + "\u{1}" + items.joined(separator: "\u{1}") }
        itemsets = support.map { FrequentItemset(items: $0.key, support: Double($0.value) / n) }.sorted { key($0.items) < key($1.items) }
        var rules: [AssociationRule] = []
        for (items, count) in support where items.count >= 2 {
            let sAC = Double(count) / n
            for mask in 1..<(1 << items.count) - 1 {
                let a = items.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
                let c = items.enumerated().filter { mask & (1 << $0.offset) == 0 }.map(\.element)
                guard let ca = support[a], let cc = support[c] else { continue }
                let sA = Double(ca) / n, sC = Double(cc) / n
                let confidence = sAC / sA
                rules.append(AssociationRule(antecedent: a, consequent: c, support: sAC, confidence: confidence, lift: confidence / sC,
                                             leverage: sAC - sA * sC, conviction: confidence >= 1 - 1e-12 ? .infinity : (1 - sC) / (1 - confidence)))
            }
        }
        self.rules = rules.sorted { (key($0.antecedent), key($0.consequent)) < (key($1.antecedent), key($1.consequent)) }
    }

    /// True when a set of `n` items has at most `limit` subsets of `k` items; C(n, k) is built up term by term and
    /// stops as soon as it passes the limit, so it never overflows.
    static func subsets(of n: Int, _ k: Int, atMost limit: Int) -> Bool {
        guard k >= 0, k <= n else { return true }
        var count = 1
        for i in 0..<min(k, n - k) {
            // count · (n − i) / (i + 1) stays a whole number at every step.
            let (product, overflow) = count.multipliedReportingOverflow(by: n - i)
            if overflow { return false }
            count = product / (i + 1)
            if count > limit { return false }
        }
        return true
    }

    /// Calls `body` with every `k`-item subset of `items`, each in the order `items` has (sorted in, sorted out).
    static func forEachSubset(of items: [String], _ k: Int, _ body: ([String]) -> Void) {
        guard k > 0, k <= items.count else { return }
        var index = Array(0..<k)
        while true {
            body(index.map { items[$0] })
            // Move the rightmost index that can still move, and reset the ones after it.
            var i = k - 1
            while i >= 0, index[i] == items.count - k + i { i -= 1 }
            guard i >= 0 else { return }
            index[i] += 1
            for j in (i + 1)..<k { index[j] = index[j - 1] + 1 }
        }
    }
}
