import Foundation

/// Sample-ratio checks and corrections for comparing several arms or metrics at once.
public enum MultipleTesting {
    /// The sample-ratio-mismatch test: χ² of the observed arm sizes against the intended weights (zero-weight arms
    /// ignored). Warn when p < 0.001 and every arm has at least 8 people.
    public static func sampleRatio(counts: [Double], weights: [Double]) throws -> (pValue: Double, warn: Bool) {
        guard counts.count == weights.count, counts.count >= 2 else { throw NoResult("give a count and a weight for at least two arms") }
        let used = zip(counts, weights).filter { $0.1 > 0 }
        guard used.count >= 2 else { throw NoResult("at least two arms need a positive weight") }
        guard used.allSatisfy({ $0.0 >= 0 && $0.0.isFinite }) else { throw NoResult("counts must be non-negative numbers") }
        let total = used.reduce(0) { $0 + $1.0 }, weightSum = used.reduce(0) { $0 + $1.1 }
        guard total > 0 else { throw NoResult("no one in any arm") }
        let statistic = used.reduce(0.0) { sum, arm in
            let expected = total * arm.1 / weightSum
            return sum + (arm.0 - expected) * (arm.0 - expected) / expected
        }
        let p = Distributions.chiSquareSurvival(statistic, df: Double(used.count - 1))
        return (p, p < 0.001 && used.allSatisfy { $0.0 >= 8 })
    }

    /// Holm's step-down adjusted p-values (family-wise error), in the input order.
    public static func holm(_ p: [Double]) -> [Double] {
        let m = Double(p.count)
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 0, count: p.count), running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, (m - Double(rank)) * p[i]))
            adjusted[i] = running
        }
        return adjusted
    }

    /// Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order.
    public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let m = Double(p.count)
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 0, count: p.count), running = 1.0
        for (rank, i) in order.enumerated().reversed() {
            running = min(running, min(1, m * p[i] / Double(rank + 1)))
            adjusted[i] = running
        }
        return adjusted
    }
}
