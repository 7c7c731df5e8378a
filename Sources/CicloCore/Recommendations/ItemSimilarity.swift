import Foundation

/// Item-to-item similarity from co-occurrence counts (people who touched both items), as SAR defines it.
public enum ItemSimilarity: String, Sendable, CaseIterable {
    case jaccard, cosine, lift, cooccurrence

    /// The similarity of i and j from their co-occurrence c_ij and their own counts c_ii and c_jj.
    public func score(_ cij: Double, _ cii: Double, _ cjj: Double) -> Double {
        switch self {
        case .jaccard: let d = cii + cjj - cij; return d > 0 ? cij / d : 0
        case .cosine: let d = (cii * cjj).squareRoot(); return d > 0 ? cij / d : 0
        case .lift: let d = cii * cjj; return d > 0 ? cij / d : 0
        case .cooccurrence: return cij
        }
    }

    /// The whole matrix from a square co-occurrence matrix.
    public func matrix(_ c: [[Double]]) -> [[Double]] {
        c.indices.map { i in c.indices.map { j in score(c[i][j], c[i][i], c[j][j]) } }
    }

    /// The weight of an interaction at `time` seen from `reference`: halved every `halfLife`, never above 1.
    public static func decay(time: Double, reference: Double, halfLife: Double) -> Double {
        min(1, pow(2, -(reference - time) / halfLife))
    }
}
