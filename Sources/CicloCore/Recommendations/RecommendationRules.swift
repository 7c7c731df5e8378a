import Foundation

/// What the catalogue says about a product.
public struct CatalogueProduct: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var category: String?
    public var price: Double?
    public var inStock: Bool
    public var hidden: Bool
    /// No longer sold from this time (ms).
    public var expiresAt: Int64?
    public init(id: String, name: String? = nil, category: String? = nil, price: Double? = nil, inStock: Bool = true, hidden: Bool = false,
                expiresAt: Int64? = nil) {
        (self.id, self.name, self.category, self.price, self.inStock, self.hidden, self.expiresAt) = (id, name, category, price, inStock, hidden, expiresAt)
    }
}

/// The business rules every list honours, and the fallback chain that fills it to k.
public struct RecommendationRules: Sendable {
    public var purchased: Set<String> = []
    /// Categories whose products may be recommended again after purchase (replenishable).
    public var replenishable: Set<String> = []
    public var seed: String?
    public var allow: Set<String>?
    public var deny: Set<String> = []
    public var category: String?
    public var minPrice: Double?
    public var maxPrice: Double?
    public var now: Int64
    public init(now: Int64) { self.now = now }

    /// True when `product` may be shown. Products missing from the catalogue pass only when no catalogue filter is asked for.
    public func allows(_ product: String, _ catalogue: [String: CatalogueProduct]) -> Bool {
        if product == seed || deny.contains(product) { return false }
        if let allow, !allow.contains(product) { return false }
        guard let p = catalogue[product] else { return category == nil && minPrice == nil && maxPrice == nil }
        if p.hidden || !p.inStock { return false }
        if let e = p.expiresAt, e <= now { return false }
        if purchased.contains(product), !replenishable.contains(p.category ?? "") { return false }
        if let category, p.category != category { return false }
        if let minPrice, (p.price ?? -.infinity) < minPrice { return false }
        if let maxPrice, (p.price ?? .infinity) > maxPrice { return false }
        return true
    }

    /// Fills a list of `k` from the chain, in order, each item labelled with the strategy that produced it.
    public func fill(_ k: Int, chain: [(strategy: String, items: [String])], catalogue: [String: CatalogueProduct]) -> [(product: String, strategy: String)] {
        var out: [(String, String)] = [], taken = Set<String>()
        for (strategy, items) in chain {
            for item in items where out.count < k && !taken.contains(item) && allows(item, catalogue) {
                taken.insert(item)
                out.append((item, strategy))
            }
            if out.count == k { break }
        }
        return out
    }
}
