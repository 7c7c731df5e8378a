@testable import CicloCore
import Foundation
import Testing

/// Apriori counts a candidate in a basket either by listing the basket's own subsets or by testing each candidate,
/// whichever is fewer; both must give exactly the supports that counting every subset of every basket gives.
@Suite("Association rule counting")
struct AssociationCountingTests {
    /// Support counts of every itemset of 1 to `maxLength` items, by brute force over each basket's subsets.
    static func bruteForce(_ baskets: [Set<String>], maxLength: Int) -> [[String]: Int] {
        var counts: [[String]: Int] = [:]
        for basket in baskets {
            let items = basket.sorted()
            for k in 1...min(maxLength, items.count) {
                AssociationRules.forEachSubset(of: items, k) { counts[$0, default: 0] += 1 }
            }
        }
        return counts
    }

    @Test("random baskets, small and large, at three support levels: the same frequent itemsets as brute force",
          arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func agreesWithBruteForce(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let catalogue = (0..<12).map { "p\($0)" }
        // Mostly 1 to 4 items (the subset path), some of 8 to 12 (more subsets than candidates: the candidate path).
        let baskets: [Set<String>] = (0..<300).map { _ in
            let size = Int(random.next() % 10) == 0 ? 8 + Int(random.next() % 5) : 1 + Int(random.next() % 4)
            return Set((0..<size).map { _ in catalogue[Int(random.next() % UInt64(catalogue.count))] })
        }
        let counts = Self.bruteForce(baskets, maxLength: 3)
        for minSupport in [0.02, 0.05, 0.15] {
            let mined = AssociationRules(baskets: baskets, minSupport: minSupport, maxLength: 3)
            let minCount = Int((minSupport * Double(baskets.count) - 1e-9).rounded(.up))
            let expected = counts.filter { $0.value >= minCount }
            #expect(Dictionary(uniqueKeysWithValues: mined.itemsets.map { ($0.items, $0.support) })
                == expected.mapValues { Double($0) / Double(baskets.count) }, "seed \(seed), support \(minSupport)")
        }
    }

    @Test("subset counts: C(n, k) against a limit, without overflow at any size")
    func subsetCounts() {
        #expect(AssociationRules.subsets(of: 5, 2, atMost: 10) && !AssociationRules.subsets(of: 5, 2, atMost: 9))
        #expect(AssociationRules.subsets(of: 3, 5, atMost: 0), "no subsets larger than the set")
        #expect(!AssociationRules.subsets(of: Int.max, 3, atMost: 1_000_000))
        #expect(!AssociationRules.subsets(of: 10_000, 2, atMost: 11_000))
        var listed: [[String]] = []
        AssociationRules.forEachSubset(of: ["a", "b", "c", "d"], 2) { listed.append($0) }
        #expect(listed == [["a", "b"], ["a", "c"], ["a", "d"], ["b", "c"], ["b", "d"], ["c", "d"]])
    }
}
