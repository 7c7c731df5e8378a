/// Where a person stands in the lifecycle: stage, persona and RFM scores, kept by their own evaluators.
public struct ProfileLifecycle: Sendable, Equatable {
    /// The key of the current lifecycle stage.
    public var stage: String?
    /// When the current stage was entered (ms).
    public var stageEnteredAt: Int64?
    /// The key of the assigned persona.
    public var persona: String?
    /// The named RFM segment.
    public var rfmSegment: String?
    /// Recency score 1–5 (5 is most recent).
    public var rfmRecency: Int?
    /// Frequency score 1–5.
    public var rfmFrequency: Int?
    /// Monetary score 1–5.
    public var rfmMonetary: Int?

    /// Creates an empty lifecycle position.
    public init(stage: String? = nil, stageEnteredAt: Int64? = nil, persona: String? = nil, rfmSegment: String? = nil,
                rfmRecency: Int? = nil, rfmFrequency: Int? = nil, rfmMonetary: Int? = nil) {
        self.stage = stage
        self.stageEnteredAt = stageEnteredAt
        self.persona = persona
        self.rfmSegment = rfmSegment
        self.rfmRecency = rfmRecency
        self.rfmFrequency = rfmFrequency
        self.rfmMonetary = rfmMonetary
    }
}
