import CicloCore
import Foundation
import Testing

@Suite("Recommendation maths: ranking metrics, similarity, decay, association rules, business rules")
struct RecommendationMathTests {
    static let relevant: [Set<String>] = [[1, 2, 3], [1, 4, 5, 6, 7], [2, 5, 6, 8, 9, 10, 11, 12, 13, 14]].map { Set($0.map(String.init)) }
    static let ranked: [[String]] = [[3, 10, 12], [10, 3, 5, 11, 13], [4, 10, 7, 13, 1, 3, 5, 2, 11, 14]].map { $0.map(String.init) }

    @Test("precision, recall, NDCG, MAP and hit rate on three people match the published values")
    func metrics() {
        let at10 = RankingMetrics(k: 10, relevant: Self.relevant, ranked: Self.ranked)
        #expect(abs(at10.precision - 0.26667) < 1e-4 && abs(at10.recall - 0.37778) < 1e-4)
        #expect(abs(at10.ndcg - 0.38172) < 1e-4 && abs(at10.map - 0.23613) < 1e-4)
        let at1 = RankingMetrics(k: 1, relevant: Self.relevant, ranked: Self.ranked)
        #expect(abs(at1.precision - 0.33333) < 1e-4 && abs(at1.recall - 0.11111) < 1e-4)
        #expect(RankingMetrics(k: 3, relevant: Self.relevant, ranked: Self.ranked).hitRate == 1)
    }

    @Test("Jaccard and lift from a co-occurrence matrix; decay halves every half-life and is capped at 1")
    func similarity() {
        let c: [[Double]] = [[1, 0, 1], [0, 2, 1], [1, 1, 2]]
        let jaccard = ItemSimilarity.jaccard.matrix(c), lift = ItemSimilarity.lift.matrix(c)
        let expectedJ: [[Double]] = [[1, 0, 0.5], [0, 1, 0.33333], [0.5, 0.33333, 1]]
        let expectedL: [[Double]] = [[1, 0, 0.5], [0, 0.5, 0.25], [0.5, 0.25, 0.5]]
        for i in 0..<3 { for j in 0..<3 {
            #expect(abs(jaccard[i][j] - expectedJ[i][j]) < 1e-4)
            #expect(abs(lift[i][j] - expectedL[i][j]) < 1e-4)
        } }
        let weights = (1...6).map { ItemSimilarity.decay(time: Double($0), reference: 5, halfLife: 2) }
        for (w, e) in zip(weights, [0.25, 0.35355, 0.5, 0.70711, 1, 1]) { #expect(abs(w - e) < 1e-4) }
    }

    @Test("association rules on the five-basket example: 11 itemsets, 16 rules, Onion → Eggs never fails")
    func rules() throws {
        let baskets: [Set<String>] = [["Eggs", "Kidney Beans", "Milk", "Nutmeg", "Onion", "Yogurt"], ["Dill", "Eggs", "Kidney Beans", "Nutmeg", "Onion", "Yogurt"],
                                      ["Apple", "Eggs", "Kidney Beans", "Milk"], ["Corn", "Kidney Beans", "Milk", "Unicorn", "Yogurt"],
                                      ["Corn", "Eggs", "Ice cream", "Kidney Beans", "Onion"]]
        let mined = AssociationRules(baskets: baskets, minSupport: 0.6)
        #expect(mined.itemsets.count == 11)
        #expect(mined.rules.count == 16)
        #expect(mined.rules.count { $0.confidence >= 0.8 } == 9)
        #expect(mined.rules.count { $0.lift >= 1.1 } == 6)
        let onionEggs = try #require(mined.rules.first { $0.antecedent == ["Onion"] && $0.consequent == ["Eggs"] })
        #expect(onionEggs.confidence == 1 && abs(onionEggs.lift - 1.25) < 1e-9 && abs(onionEggs.leverage - 0.12) < 1e-9)
        #expect(onionEggs.conviction == .infinity && onionEggs.json["conviction"] == "Infinity")
        let eggsOnion = try #require(mined.rules.first { $0.antecedent == ["Eggs"] && $0.consequent == ["Onion"] })
        #expect(abs(eggsOnion.confidence - 0.75) < 1e-9 && abs(eggsOnion.lift - 1.25) < 1e-9 && abs(eggsOnion.conviction - 1.6) < 1e-9)
    }

    @Test("business rules drop hidden, out-of-stock, expired, purchased (unless replenishable), the seed and denied items; the chain fills to k")
    func businessRules() {
        let catalogue = Dictionary(uniqueKeysWithValues: [
            CatalogueProduct(id: "a", category: "shoes", price: 50), CatalogueProduct(id: "b", category: "shoes", price: 80, inStock: false),
            CatalogueProduct(id: "c", category: "shoes", price: 60, hidden: true), CatalogueProduct(id: "d", category: "socks", price: 5),
            CatalogueProduct(id: "e", category: "shoes", price: 70, expiresAt: 100), CatalogueProduct(id: "f", category: "shoes", price: 90),
            CatalogueProduct(id: "g", category: "socks", price: 6),
        ].map { ($0.id, $0) })
        var rules = RecommendationRules(now: 200)
        rules.purchased = ["a", "d"]
        rules.replenishable = ["socks"]
        rules.seed = "g"
        rules.deny = ["f"]
        let list = rules.fill(3, chain: [("personalised", ["a", "b", "c"]), ("popular", ["d", "e", "f", "g", "x"])], catalogue: catalogue)
        #expect(list.map(\.product) == ["d", "x"])
        #expect(list.map(\.strategy) == ["popular", "popular"])
        rules.category = "socks"
        #expect(rules.fill(5, chain: [("popular", ["x", "d", "g"])], catalogue: catalogue).map(\.product) == ["d"])
    }

    @Test("SAR ranks the neighbours of what a person touched, weighted by kind and age, ties by product id")
    func personalised() {
        let day: Int64 = 86_400_000
        var log: [ProductInteraction] = []
        for p in 0..<6 { log += [.init(person: "p\(p)", product: "tent", kind: .purchase, time: 10 * day), .init(person: "p\(p)", product: "stove", kind: .view, time: 10 * day)] }
        for p in 0..<3 { log.append(.init(person: "p\(p)", product: "lamp", kind: .view, time: 10 * day)) }
        log.append(.init(person: "q", product: "book", kind: .view, time: 10 * day))
        let model = RecommenderModel(log, reference: 11 * day)
        #expect(model.personalised([.init(person: "new", product: "tent", kind: .view, time: 11 * day)]) == ["stove", "lamp"])
        #expect(model.popular().prefix(2).sorted() == ["stove", "tent"] && model.popular()[0] == "stove")
    }
}
