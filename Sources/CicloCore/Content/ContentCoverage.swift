import Foundation

/// The coverage matrix: for each persona (rows, plus "any persona") and lifecycle stage (columns), how many live
/// items serve it, the empty cells, and the formats that usually work at each stage.
public struct ContentCoverage: Sendable, Equatable, Codable {
    public struct Cell: Sendable, Equatable, Codable {
        public var persona: String
        public var stage: String
        public var items: Int
        public var suggestedFormats: [String]
    }

    public var stages: [String]
    public var personas: [String]
    public var cells: [Cell]
    public var gaps: [Cell] { cells.filter { $0.items == 0 } }

    /// Counts live items per cell; an item tagged with no stage (or persona) counts in every column (or row).
    public init(items: [ContentItem], stages: [String], personas: [String], now: Int64) {
        self.stages = stages
        self.personas = personas
        let live = items.filter { $0.isLive(at: now) }
        cells = personas.flatMap { persona in
            stages.map { stage in
                Cell(persona: persona, stage: stage, items: live.count { $0.serves(stage: stage) && $0.speaks(to: persona) },
                     suggestedFormats: Self.suggestedFormats(forStage: stage))
            }
        }
    }

    /// Formats that fit a stage, by the stage's name (awareness, consideration, decision, retention, advocacy and their
    /// usual synonyms); other stages get the consideration set.
    public static func suggestedFormats(forStage stage: String) -> [String] {
        let s = stage.lowercased()
        if ["aware", "reach", "visitor", "attract", "discover", "lead"].contains(where: s.contains) { return ["blog", "social", "short video", "infographic"] }
        if ["decision", "decide", "convert", "purchase", "trial", "prospect", "first"].contains(where: s.contains) { return ["demo or trial", "pricing", "testimonial", "offer"] }
        if ["retain", "retention", "onboard", "customer", "repeat", "fulfil", "active", "loyal", "grow"].contains(where: s.contains) {
            return ["onboarding", "how-to", "replenishment", "loyalty"]
        }
        if ["advoca", "promot", "champion", "refer"].contains(where: s.contains) { return ["referral", "review", "user content"] }
        return ["guide", "webinar", "comparison", "case study"]
    }
}
