/// What one profile-processing batch did, for the parts that react to profile changes in the same transaction.
public struct ProfileBatchResult: Sendable {
    /// The workspace.
    public var workspaceId: Int64
    /// The events applied, each with its resolved `profileId`, in log order.
    public var events: [Event]
    /// Every profile the batch changed, by real id, as it now stands.
    public var profiles: [Int64: Profile]
    /// Merges, by real ids: `from` now lives on as `into`.
    public var merges: [(from: Int64, into: Int64)]
    /// Each profile after each moment of the batch, by real id (none for profiles a merge touched): what event-time
    /// evaluation walks through.
    public var timelines: [Int64: [StandingTimeline.Point]] = [:]
    /// Each profile as it was before the batch, by real id (absent for profiles the batch created).
    public var before: [Int64: Profile] = [:]

    /// Creates a result.
    public init(workspaceId: Int64, events: [Event], profiles: [Int64: Profile], merges: [(from: Int64, into: Int64)]) {
        self.workspaceId = workspaceId
        self.events = events
        self.profiles = profiles
        self.merges = merges
    }
}
