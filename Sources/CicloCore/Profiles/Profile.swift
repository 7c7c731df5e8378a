import Foundation

/// One person: their identifiers, traits and computed attributes.
public struct Profile: Sendable, Equatable {
    /// The profile id; merged-away profiles keep their id and point at the survivor.
    public var id: Int64
    /// The workspace.
    public var workspaceId: Int64
    /// Traits from identify calls and `context.traits`.
    public var traits: [String: JSONValue]
    /// When each trait was last set (ms), so merges keep the most recently set value.
    public var traitTimes: [String: Int64]
    /// What the events say about the person.
    public var computed: ComputedAttributes
    /// When the profile row was created (ms).
    public var createdAt: Int64
    /// The user id it holds, when it holds one.
    public var userId: String?
    /// Its email address, when known.
    public var email: String?
    /// Where the person stands: lifecycle stage, persona, RFM.
    public var lifecycle = ProfileLifecycle()
    /// What the predictions say (churn risk, CLV, affinities), from the last scoring run.
    public var scores = ProfileScores()
    /// Loyalty standing, mirrored by the points ledger.
    public var loyalty = ProfileLoyalty()

    /// Creates a profile.
    public init(id: Int64, workspaceId: Int64, traits: [String: JSONValue] = [:], traitTimes: [String: Int64] = [:],
                computed: ComputedAttributes = ComputedAttributes(), createdAt: Int64) {
        self.id = id
        self.workspaceId = workspaceId
        self.traits = traits
        self.traitTimes = traitTimes
        self.computed = computed
        self.createdAt = createdAt
    }

    /// A display name from the traits.
    public var displayName: String? {
        if let name = traits["name"]?.stringValue, !name.isEmpty { return name }
        let parts = [traits["first_name"]?.stringValue ?? traits["firstName"]?.stringValue,
                     traits["last_name"]?.stringValue ?? traits["lastName"]?.stringValue].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// Applies an event: its traits (identify and `context.traits`, a JSON null clears a trait) and computed attributes.
    @discardableResult
    public mutating func apply(_ event: Event) -> OrderEffect? {
        let t = event.timestamp.epochMilliseconds
        if event.type == .identify { setTraits(event.traits, at: t) }
        if let contextTraits = event.context["traits"] { setTraits(contextTraits, at: t) }
        return computed.apply(event)
    }

    /// Sets traits as of time `t`; an older value never overwrites a newer one.
    public mutating func setTraits(_ values: JSONValue, at t: Int64) {
        guard case .object(let members) = values else { return }
        for (key, value) in members where key != "id" && key.count <= 200 {
            if let previous = traitTimes[key], previous > t { continue }
            traitTimes[key] = t
            if value.isNull { traits.removeValue(forKey: key) } else { traits[key] = value }
        }
    }

    /// Takes in another person's traits: for each trait the most recently set value wins.
    public mutating func mergeTraits(from other: Profile) {
        for (key, time) in other.traitTimes {
            guard time > traitTimes[key] ?? Int64.min else { continue }
            traitTimes[key] = time
            if let value = other.traits[key] { traits[key] = value } else { traits.removeValue(forKey: key) }
        }
        for (key, value) in other.traits where traitTimes[key] == nil && traits[key] == nil {
            traits[key] = value
        }
    }
}
