import CicloCore
import CicloStore
import Foundation

/// Turns grouped signals into affinities: channel engagement rates shrunk toward the workspace's, the best hour of
/// the week smoothed toward the workspace's pattern and moved into each person's time zone, top category and brand.
struct AffinityScoring {
    /// Workspace-wide engagement rate per channel and its hour-of-week pattern (UTC), from a first pass.
    var channelPrior: [String: Double] = [:]
    var hourPrior = [Double](repeating: 1.0 / 168, count: 168)
    /// How many observations the priors weigh.
    var channelStrength = 10.0
    var hourStrength = 5.0

    /// Learns the priors from the totals of all signals.
    mutating func learn(_ totals: (channels: [String: (sent: Int, engaged: Int)], hours: [Int])) {
        channelPrior = totals.channels.mapValues { $0.sent > 0 ? min(1, Double($0.engaged) / Double($0.sent)) : 0 }
        let all = Double(totals.hours.reduce(0, +))
        if all > 0 { hourPrior = totals.hours.map { (Double($0) + 1) / (all + 168) } }
    }

    struct Result { var channels: JSONValue?; var preferred: String?; var hour: Int?; var category: String?; var brand: String? }

    func score(_ id: Int64, _ s: AffinitySignals) -> Result? {
        var result = Result()
        if let channels = s.channels[id] {
            var rates: [String: Double] = [:]
            for (channel, c) in channels where c.sent > 0 {
                rates[channel] = Shrinkage.rate(Double(min(c.engaged, c.sent)), of: Double(c.sent), prior: channelPrior[channel] ?? 0,
                                                strength: channelStrength)
            }
            if !rates.isEmpty {
                result.channels = .object(rates.mapValues { .double(($0 * 1000).rounded() / 1000) })
                result.preferred = rates.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            }
        }
        if let hours = s.hours[id] {
            let total = Double(hours.values.reduce(0, +))
            var best = 0, bestScore = -1.0
            for h in 0..<168 {
                let score = (Double(hours[h] ?? 0) + hourStrength * hourPrior[h]) / (total + hourStrength)
                if score > bestScore { (best, bestScore) = (h, score) }
            }
            let offset = s.timeZones[id].flatMap(TimeZone.init(identifier:)).map { $0.secondsFromGMT() / 3600 } ?? 0
            result.hour = ((best + offset) % 168 + 168) % 168
        }
        result.category = s.categories[id]?.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        result.brand = s.brands[id]?.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        guard result.channels != nil || result.hour != nil || result.category != nil || result.brand != nil else { return nil }
        return result
    }
}
