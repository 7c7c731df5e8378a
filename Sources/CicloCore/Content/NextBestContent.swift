import Foundation

/// How one item has done with people in one stage and persona: impressions and conversions.
public struct ContentStats: Sendable, Equatable {
    public var impressions: Int
    public var conversions: Int
    public init(impressions: Int, conversions: Int) { (self.impressions, self.conversions) = (impressions, conversions) }
}

/// Chooses the next content for a person: live items for their stage and persona that they have not seen within the
/// cool-down nor converted on, ranked by conversion rate in their stage and persona smoothed toward the item's
/// overall rate, then priority, then key. Falls back from an exact match to persona-any, stage-any, then any item.
public enum NextBestContent {
    /// Which match produced the list.
    public enum Level: String, Sendable, Codable { case exact, personaAny = "persona-any", stageAny = "stage-any", fallback = "default", none }

    /// A ranked item with its smoothed rate.
    public struct Pick: Sendable, Equatable {
        public var item: ContentItem
        public var rate: Double
    }

    /// - Parameters:
    ///   - lastShown: when the person last saw each item (ms); inside `coolDown` (ms) it is not shown again.
    ///   - converted: items the person already converted on.
    ///   - cellStats: stats per item key for the person's stage and persona; `overallStats` per item key across everyone.
    ///   - priorStrength: weight, in impressions, of the item's overall rate.
    public static func choose(items: [ContentItem], stage: String?, persona: String?, now: Int64, lastShown: [String: Int64], coolDown: Int64,
                              converted: Set<String>, cellStats: [String: ContentStats], overallStats: [String: ContentStats],
                              limit: Int = 3, priorStrength: Double = 20) -> (level: Level, picks: [Pick]) {
        let eligible = items.filter { item in
            item.isLive(at: now) && !converted.contains(item.key) && (lastShown[item.key].map { now - $0 >= coolDown } ?? true)
        }
        // Exact: tagged with the stage and the persona; then items for the stage with any persona; then any stage for
        // the persona; then items for any stage and persona.
        let levels: [(Level, (ContentItem) -> Bool)] = [
            (.exact, { stage.map($0.stages.contains) == true && persona.map($0.personas.contains) == true }),
            (.personaAny, { stage.map($0.stages.contains) == true && $0.personas.isEmpty }),
            (.stageAny, { $0.stages.isEmpty && persona.map($0.personas.contains) == true }),
            (.fallback, { $0.stages.isEmpty && $0.personas.isEmpty }),
        ]
        for (level, matches) in levels {
            let found = eligible.filter(matches)
            guard !found.isEmpty else { continue }
            let picks = found.map { item -> Pick in
                let overall = overallStats[item.key] ?? ContentStats(impressions: 0, conversions: 0)
                let prior = overall.impressions > 0 ? Double(overall.conversions) / Double(overall.impressions) : 0
                let cell = cellStats[item.key] ?? ContentStats(impressions: 0, conversions: 0)
                return Pick(item: item, rate: (Double(cell.conversions) + prior * priorStrength) / (Double(cell.impressions) + priorStrength))
            }.sorted { a, b in
                if a.rate != b.rate { return a.rate > b.rate }
                if a.item.priority != b.item.priority { return a.item.priority > b.item.priority }
                return a.item.key < b.item.key
            }
            return (level, Array(picks.prefix(limit)))
        }
        return (.none, [])
    }
}
