import CicloCore

/// Everything one profile-processing batch changes, written in one transaction with the cursor.
public struct ProfileBatchWrite: Sendable {
    /// The workspace.
    public var workspaceId: Int64
    /// The cursor version read before processing; the write fails if someone else moved it.
    public var expectedVersion: Int64
    /// The id of the last event the batch covers.
    public var lastEventId: Int64
    /// Profiles to insert or update (new ones have negative ids).
    public var profiles: [Profile]
    /// All identifiers of each written profile, for the denormalised columns.
    public var identifiersByProfile: [Int64: [Identifier]]
    /// New identifiers and their profile.
    public var newIdentifiers: [Identifier: Int64]
    /// Merges, in order.
    public var merges: [ProfileMerge]
    /// Conflicts.
    public var conflicts: [IdentityConflict]
    /// Event id, event timestamp (ms) and resolved profile for each processed event.
    public var assignments: [(eventId: Int64, timestamp: Int64, profileId: Int64)]
    /// Events to drop because they carry a suppressed identifier, with the identifiers that matched.
    public var suppressed: [(eventId: Int64, identifier: Identifier)]
    /// Orders and revenue by hour, added to the rollups.
    public var hourlyOrders: [HourlyOrders]
    /// Existing people the batch's hooks act on besides those written (the subjects of Ciclo's own events).
    public var alsoActsOn: [Int64] = []

    /// Every existing person the transaction reads and writes, locked before it writes anything.
    var people: [Int64] {
        (profiles.map(\.id) + merges.flatMap { [$0.from, $0.into] } + alsoActsOn).filter { $0 > 0 }
    }

    /// Creates a write.
    public init(workspaceId: Int64, expectedVersion: Int64, lastEventId: Int64, profiles: [Profile],
                identifiersByProfile: [Int64: [Identifier]], newIdentifiers: [Identifier: Int64], merges: [ProfileMerge],
                conflicts: [IdentityConflict], assignments: [(eventId: Int64, timestamp: Int64, profileId: Int64)],
                suppressed: [(eventId: Int64, identifier: Identifier)], hourlyOrders: [HourlyOrders] = []) {
        self.workspaceId = workspaceId
        self.expectedVersion = expectedVersion
        self.lastEventId = lastEventId
        self.profiles = profiles
        self.identifiersByProfile = identifiersByProfile
        self.newIdentifiers = newIdentifiers
        self.merges = merges
        self.conflicts = conflicts
        self.assignments = assignments
        self.suppressed = suppressed
        self.hourlyOrders = hourlyOrders
    }
}

/// What the store did with a batch: the real ids given to new profiles.
public struct ProfileBatchOutcome: Sendable {
    /// Temporary (negative) id → real id.
    public var newIds: [Int64: Int64]

    /// The real id of `id` (itself when it was not new).
    public func real(_ id: Int64) -> Int64 { id < 0 ? newIds[id] ?? id : id }
}
