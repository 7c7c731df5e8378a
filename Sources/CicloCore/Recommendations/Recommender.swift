import Foundation

/// One thing a person did with a product: viewed, added to cart, or bought.
public struct ProductInteraction: Sendable, Equatable {
    public enum Kind: String, Sendable { case view, add, purchase }
    public var person: String
    public var product: String
    public var kind: Kind
    /// Milliseconds since 1970.
    public var time: Int64
    public init(person: String, product: String, kind: Kind, time: Int64) { (self.person, self.product, self.kind, self.time) = (person, product, kind, time) }
}

/// How the models are trained.
public struct RecommenderSettings: Sendable, Equatable {
    public var weights: [ProductInteraction.Kind: Double] = [.view: 1, .add: 3, .purchase: 5]
    public var halfLifeDays = 30.0
    public var similarity = ItemSimilarity.jaccard
    public var minCooccurrence = 1.0
    public var neighbours = 50
    /// Trending needs at least this many interactions in the last 7 days.
    public var trendingMinimum = 5
    /// Only a person's most recent distinct products count toward co-occurrence, which bounds the pair count.
    public var maxItemsPerPerson = 200
    public init() {}
}

/// The trained models: time-decayed popularity, trending, and item neighbours; personalised lists are built per
/// request from a person's own interactions and the neighbours (SAR). Every list is ordered by score, then by
/// ascending product id, so the same input always gives the same list.
public struct RecommenderModel: Sendable {
    public let popularity: [String: Double]
    public let trending: [String: Double]
    public let neighbours: [String: [(product: String, score: Double)]]
    public let settings: RecommenderSettings
    public let reference: Int64

    public init(_ interactions: [ProductInteraction], reference: Int64, settings: RecommenderSettings = RecommenderSettings()) {
        self.settings = settings
        self.reference = reference
        let halfLife = settings.halfLifeDays * 86_400_000
        var popularity: [String: Double] = [:], recent: [String: Int] = [:], previous: [String: Int] = [:]
        var latest: [String: [String: Int64]] = [:]
        for i in interactions {
            popularity[i.product, default: 0] += ItemSimilarity.decay(time: Double(i.time), reference: Double(reference), halfLife: halfLife)
            let age = reference - i.time
            if age >= 0, age < 7 * 86_400_000 { recent[i.product, default: 0] += 1 } else if age >= 0, age < 14 * 86_400_000 { previous[i.product, default: 0] += 1 }
            latest[i.person, default: [:]][i.product] = max(latest[i.person]?[i.product] ?? .min, i.time)
        }
        self.popularity = popularity
        // Growth of the last 7 days over the 7 before (a product new this week counts its whole week).
        var trending: [String: Double] = [:]
        for (product, count) in recent where count >= settings.trendingMinimum {
            let before = Double(max(1, previous[product] ?? 0))
            trending[product] = Double(count) / before
        }
        self.trending = trending
        // Co-occurrence: people who touched both products.
        var own: [String: Double] = [:], pairs: [String: [String: Double]] = [:]
        for (_, products) in latest {
            let items = products.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.prefix(settings.maxItemsPerPerson).map(\.key).sorted()
            for a in items { own[a, default: 0] += 1 }
            for x in items.indices { for y in items.indices where y > x {
                pairs[items[x], default: [:]][items[y], default: 0] += 1
                pairs[items[y], default: [:]][items[x], default: 0] += 1
            } }
        }
        var neighbours: [String: [(String, Double)]] = [:]
        for (a, row) in pairs {
            let scored = row.filter { $0.value >= settings.minCooccurrence }
                .map { ($0.key, settings.similarity.score($0.value, own[a] ?? 0, own[$0.key] ?? 0)) }
                .filter { $0.1 > 0 }
                .sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            neighbours[a] = Array(scored.prefix(settings.neighbours))
        }
        self.neighbours = neighbours
    }

    public static func ranked(_ scores: [String: Double]) -> [String] {
        scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
    }

    /// Most popular, time-decayed.
    public func popular() -> [String] { Self.ranked(popularity) }

    /// Rising fastest: the last 7 days against the 7 before.
    public func trendingNow() -> [String] { Self.ranked(trending) }

    /// Neighbours of one product.
    public func similar(to product: String) -> [String] {
        (neighbours[product] ?? []).map(\.product)
    }

    /// SAR: the person's affinity to what they touched (weighted by kind, decayed by age) times item similarity.
    public func personalised(_ history: [ProductInteraction], excludingTouched: Bool = true) -> [String] {
        Self.personalised(history, neighbours: neighbours, settings: settings, reference: reference, excludingTouched: excludingTouched)
    }

    /// SAR over neighbours read from anywhere (the store serves from its tables with this).
    public static func personalised(_ history: [ProductInteraction], neighbours: [String: [(product: String, score: Double)]],
                                    settings: RecommenderSettings, reference: Int64, excludingTouched: Bool = true) -> [String] {
        var affinity: [String: Double] = [:]
        let halfLife = settings.halfLifeDays * 86_400_000
        for i in history {
            affinity[i.product, default: 0] += (settings.weights[i.kind] ?? 1) * ItemSimilarity.decay(time: Double(i.time), reference: Double(reference), halfLife: halfLife)
        }
        var scores: [String: Double] = [:]
        for (item, a) in affinity { for (other, s) in neighbours[item] ?? [] { scores[other, default: 0] += a * s } }
        if excludingTouched { for item in affinity.keys { scores[item] = nil } }
        return ranked(scores)
    }

    /// Products similar to the person's most recently viewed ones, the nearest first.
    public func similarToRecent(_ recent: [String]) -> [String] { Self.similarToRecent(recent, neighbours: neighbours) }

    /// Products similar to recently viewed ones, from any neighbour table.
    public static func similarToRecent(_ recent: [String], neighbours: [String: [(product: String, score: Double)]]) -> [String] {
        var scores: [String: Double] = [:]
        for (rank, item) in recent.prefix(5).enumerated() {
            for (other, s) in neighbours[item] ?? [] { scores[other, default: 0] += s / Double(rank + 1) }
        }
        for item in recent { scores[item] = nil }
        return Self.ranked(scores)
    }
}
