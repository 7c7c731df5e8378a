import Foundation

/// A product in the demo shop's catalogue.
public struct DemoProduct: Sendable, Equatable {
    public var id: String
    public var sku: String
    public var name: String
    public var category: String
    public var brand: String
    public var price: Double
    public var margin: Double
}

/// The demo shop's catalogue: categories, brands, prices and margins drawn from a seed.
public struct DemoCatalog: Sendable {
    /// Every product, by id order.
    public let products: [DemoProduct]
    /// Popularity weights (a long tail), aligned with `products`.
    public let popularity: [Double]

    static let categories: [(name: String, medianPrice: Double, nouns: [String])] = [
        ("Shoes", 79, ["Runner", "Trail Shoe", "Sneaker", "Boot", "Sandal"]),
        ("Apparel", 39, ["Tee", "Hoodie", "Jacket", "Jeans", "Dress", "Shorts"]),
        ("Accessories", 25, ["Cap", "Backpack", "Belt", "Scarf", "Wallet", "Sunglasses"]),
        ("Home", 45, ["Mug", "Throw", "Lamp", "Candle", "Cushion"]),
        ("Beauty", 22, ["Serum", "Cleanser", "Moisturiser", "Lip Balm", "Shampoo"]),
        ("Electronics", 119, ["Earbuds", "Speaker", "Charger", "Smartwatch", "Headphones"]),
    ]
    static let brands = ["Nordvik", "Alto", "Solenne", "Brava", "Kestrel", "Oaken", "Lumo", "Pioneer"]
    static let adjectives = ["Classic", "Urban", "Pro", "Lite", "Everyday", "Summit", "Coastal", "Studio", "Nomad"]

    /// Draws a catalogue of `count` products.
    public init(seed: UInt64, count: Int = 240) {
        var rng = SeededRandom(seed: seed, stream: 0xCA7A_1060)
        var products: [DemoProduct] = []
        var popularity: [Double] = []
        for i in 0..<count {
            let category = Self.categories[i % Self.categories.count]
            let noun = category.nouns[rng.int(in: 0...(category.nouns.count - 1))]
            let adjective = Self.adjectives[rng.int(in: 0...(Self.adjectives.count - 1))]
            let brand = Self.brands[rng.int(in: 0...(Self.brands.count - 1))]
            let price = (rng.logNormal(median: category.medianPrice, sigma: 0.45)).rounded() - 0.01
            products.append(DemoProduct(
                id: String(format: "p%04d", i + 1), sku: String(format: "SKU-%05d", 10_000 + i),
                name: "\(brand) \(adjective) \(noun)", category: category.name, brand: brand,
                price: max(4.99, price), margin: 0.25 + rng.uniform() * 0.35))
            // Zipf-like popularity: a few best sellers, a long tail.
            popularity.append(1 / pow(Double(rng.int(in: 1...count)), 0.9))
        }
        self.products = products
        self.popularity = popularity
    }

    /// A product drawn by popularity.
    public func draw(_ rng: inout SeededRandom) -> DemoProduct {
        products[rng.pick(weights: popularity)]
    }

    /// A product from the same category as `product`, for browsing that stays on topic.
    public func related(to product: DemoProduct, _ rng: inout SeededRandom) -> DemoProduct {
        let sameCategory = products.indices.filter { products[$0].category == product.category }
        return products[sameCategory[rng.int(in: 0...(sameCategory.count - 1))]]
    }
}

extension DemoProduct {
    /// The product as Segment Ecommerce v2 properties.
    public func properties(quantity: Int = 1) -> [String: JSONValue] {
        ["product_id": .string(id), "sku": .string(sku), "name": .string(name), "category": .string(category),
         "brand": .string(brand), "price": .double(price), "quantity": .int(Int64(quantity)),
         "url": .string("https://shop.example.com/p/\(id)")]
    }
}
