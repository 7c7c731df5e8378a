/// Splits sorted values into bands holding as equal a number of values as possible (deciles for ten bands), for the
/// dashboard's histograms. Fewer values than bands give fewer bands: none is ever empty.
public struct EqualCountBand: Sendable, Equatable {
    /// The smallest value in the band.
    public var from: Double
    /// The largest value in the band.
    public var to: Double
    /// How many values the band holds.
    public var count: Int
}

extension EqualCountBand {
    /// The bands of `sorted` (ascending); every value falls in exactly one band.
    public static func bands(of sorted: [Double], count bandCount: Int = 10) -> [EqualCountBand] {
        guard bandCount > 0, !sorted.isEmpty else { return [] }
        let n = sorted.count
        var out: [EqualCountBand] = []
        for i in 0..<bandCount {
            // Band i holds positions [i·n/k, (i+1)·n/k): integer division spreads the remainder over the bands.
            let start = i * n / bandCount, end = (i + 1) * n / bandCount
            guard end > start else { continue }
            out.append(EqualCountBand(from: sorted[start], to: sorted[end - 1], count: end - start))
        }
        return out
    }
}
