import Foundation

/// Net Promoter Score over a set of 0–10 answers: promoters 9–10, passives 7–8, detractors 0–6.
public struct NPSScore: Sendable, Equatable, Codable {
    public var promoters: Int
    public var passives: Int
    public var detractors: Int

    public init(promoters: Int, passives: Int, detractors: Int) {
        (self.promoters, self.passives, self.detractors) = (promoters, passives, detractors)
    }

    /// Tallies raw scores; values outside 0–10 are ignored.
    public init(scores: [Int]) {
        self.init(promoters: scores.count { (9...10).contains($0) }, passives: scores.count { (7...8).contains($0) },
                  detractors: scores.count { (0...6).contains($0) })
    }

    /// The category of one answer, or nil when it is not a 0–10 score.
    public static func category(_ score: Int) -> String? {
        switch score {
        case 9...10: "promoter"
        case 7...8: "passive"
        case 0...6: "detractor"
        default: nil
        }
    }

    public var responses: Int { promoters + passives + detractors }

    /// % promoters − % detractors, from −100 to +100 (nil without answers).
    public var score: Double? {
        guard responses > 0 else { return nil }
        return 100 * (Double(promoters) - Double(detractors)) / Double(responses)
    }

    /// Half-width of the 95% interval, in points: 1.96 · 100 · √((p + d − (p − d)²) / n).
    public var margin95: Double? {
        guard responses > 0 else { return nil }
        let n = Double(responses), p = Double(promoters) / n, d = Double(detractors) / n
        return 1.96 * 100 * ((p + d - (p - d) * (p - d)) / n).squareRoot()
    }

    /// Whether a survey may go out now: never within `days` of the last one sent to the person, on any channel.
    public static func maySend(lastSentAt: Int64?, now: Int64, throttleDays: Int = 30) -> Bool {
        guard let last = lastSentAt else { return true }
        return now - last >= Int64(throttleDays) * 86_400_000
    }
}
