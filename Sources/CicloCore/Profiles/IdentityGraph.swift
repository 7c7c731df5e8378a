import Foundation

/// A merge of one profile into another.
public struct ProfileMerge: Sendable, Equatable, Codable {
    /// The profile that was merged away.
    public var from: Int64
    /// The survivor.
    public var into: Int64
    /// The event that caused it.
    public var eventId: Int64?
    /// The identifier the two shared, or `alias`.
    public var reason: String
}

/// An identifier that could not be attached because it belongs to a person with another user id.
public struct IdentityConflict: Sendable, Equatable, Codable {
    public var identifier: Identifier
    /// The profile the event went to.
    public var profileId: Int64
    /// The profile that holds the identifier.
    public var ownerId: Int64
    public var eventId: Int64?
}

/// The identity resolution of a batch of events, in memory: which profile each event belongs to, which identifiers
/// are new, which profiles merge, and which identifiers conflict. The store loads the relevant part of the graph,
/// this resolves, and the store writes the outcome in one transaction.
public struct IdentityGraph: Sendable {
    /// Identifier → profile, for everything loaded or created.
    public private(set) var owners: [Identifier: Int64]
    /// The profiles in play, by id (new profiles have negative ids until the store gives them real ones).
    public private(set) var profiles: [Int64: Profile]
    /// Identifiers created in this batch.
    public private(set) var newIdentifiers: [Identifier: Int64] = [:]
    /// Merges in the order they happened.
    public private(set) var merges: [ProfileMerge] = []
    /// Conflicts recorded.
    public private(set) var conflicts: [IdentityConflict] = []
    /// Survivors whose computed attributes must be recomputed from their whole history.
    public private(set) var needsRecompute: Set<Int64> = []
    /// Profiles changed in this batch.
    public private(set) var touched: Set<Int64> = []
    /// Each touched profile after each moment of this batch, in the order events were applied (merged profiles have none).
    public private(set) var timelines: [Int64: [(at: Int64, profile: Profile)]] = [:]
    /// Each touched profile as it was before this batch's first event for it (nil for one the batch created).
    public private(set) var firstSeen: [Int64: Profile?] = [:]
    /// Profiles a merge touched in this batch: their moments are not separable, so they are evaluated once.
    public private(set) var mergedInBatch: Set<Int64> = []
    /// Orders and refunds the resolved events made, with their event times, for the hourly rollups.
    public private(set) var orderEffects: [(at: Int64, effect: OrderEffect)] = []
    private var mergedInto: [Int64: Int64] = [:]
    private var byProfile: [Int64: [Identifier]] = [:]
    private var nextNewId: Int64 = -1
    private let workspaceId: Int64
    private let now: Int64

    /// Starts from the loaded identifiers and their profiles.
    public init(workspaceId: Int64, owners: [Identifier: Int64], profiles: [Int64: Profile], now: Int64) {
        self.workspaceId = workspaceId
        self.owners = owners
        self.profiles = profiles
        self.now = now
        for (id, owner) in owners { byProfile[owner, default: []].append(id) }
    }

    /// The user id a profile holds, if any.
    public func userId(of profile: Int64) -> String? {
        byProfile[profile]?.first { $0.kind == .userId }?.value
    }

    /// Every identifier of a profile known to the graph.
    public func identifiers(of profile: Int64) -> [Identifier] {
        (byProfile[profile] ?? []).sorted()
    }

    /// The survivor a profile id now stands for.
    public func canonical(_ id: Int64) -> Int64 {
        var current = id
        while let next = mergedInto[current] { current = next }
        return current
    }

    /// Resolves `event` to a profile (creating, attaching and merging as needed), applies it, and returns the profile id.
    @discardableResult
    public mutating func resolve(_ event: Event) -> Int64? {
        resolve(event, identifiers: event.identifiers)
    }

    /// Resolves `event` whose `identifiers` the caller already computed.
    @discardableResult
    public mutating func resolve(_ event: Event, identifiers ids: [Identifier]) -> Int64? {
        let anchor: Int64
        if event.type == .alias {
            guard let resolved = resolveAlias(event, ids) else { return nil }
            anchor = resolved
        } else {
            guard !ids.isEmpty else { return nil }
            anchor = resolveIdentifiers(ids, event: event)
        }
        if timelines[anchor] == nil, firstSeen[anchor] == nil { firstSeen[anchor] = profiles[anchor] }
        if let effect = profiles[anchor]?.apply(event) { orderEffects.append((event.timestamp.epochMilliseconds, effect)) }
        touched.insert(anchor)
        if let profile = profiles[anchor], !event.isDerived {
            let t = event.timestamp.epochMilliseconds
            // One snapshot per moment: the person as they were after everything that happened then.
            let count = timelines[anchor]?.count ?? 0
            if count > 0, timelines[anchor]?.last?.at == t { timelines[anchor]?[count - 1] = (t, profile) }
            else { timelines[anchor, default: []].append((t, profile)) }
        }
        return anchor
    }

    private mutating func resolveIdentifiers(_ ids: [Identifier], event: Event) -> Int64 {
        let eventUser = ids.first { $0.kind == .userId }?.value
        var matched: [Int64] = []
        for id in ids {
            if let owner = owners[id].map(canonical), !matched.contains(owner) { matched.append(owner) }
        }
        var anchor: Int64
        if let eventUser, let owner = owners[Identifier(.userId, eventUser)] {
            anchor = canonical(owner)
        } else if let compatible = matched.first(where: { Self.compatible(userId(of: $0), eventUser) }) {
            anchor = compatible
        } else {
            anchor = createProfile(at: event.timestamp.epochMilliseconds)
        }
        for other in matched where other != anchor {
            if Self.compatible(userId(of: other), userId(of: anchor) ?? eventUser) {
                let shared = ids.first { owners[$0].map(canonical) == other }
                anchor = merge(other, anchor, eventId: event.id, reason: shared?.kind.rawValue ?? "identifier")
            } else {
                for id in ids where owners[id].map(canonical) == other {
                    conflicts.append(IdentityConflict(identifier: id, profileId: anchor, ownerId: other, eventId: event.id))
                }
            }
        }
        for id in ids where owners[id] == nil {
            attach(id, to: anchor)
        }
        return anchor
    }

    private mutating func resolveAlias(_ event: Event, _ ids: [Identifier]) -> Int64? {
        guard let user = ids.first(where: { $0.kind == .userId }) else { return nil }
        var target: Int64
        if let owner = owners[user] {
            target = canonical(owner)
        } else {
            target = createProfile(at: event.timestamp.epochMilliseconds)
            attach(user, to: target)
        }
        let previous = event.previousIdentifiers
        if let found = previous.first(where: { owners[$0] != nil }), let owner = owners[found].map(canonical) {
            if owner != target {
                if Self.compatible(userId(of: owner), user.value) {
                    target = merge(owner, target, eventId: event.id, reason: "alias")
                } else {
                    conflicts.append(IdentityConflict(identifier: found, profileId: target, ownerId: owner, eventId: event.id))
                }
            }
        } else if let anonymous = previous.first(where: { $0.kind == .anonymousId }) {
            // An unknown earlier id: remember it, so later events sent with it find this person.
            attach(anonymous, to: target)
        }
        return target
    }

    fileprivate mutating func setComputed(_ computed: ComputedAttributes, of profile: Int64) {
        profiles[profile]?.computed = computed
    }

    private static func compatible(_ a: String?, _ b: String?) -> Bool { a == nil || b == nil || a == b }

    private mutating func createProfile(at time: Int64) -> Int64 {
        let id = nextNewId
        nextNewId -= 1
        profiles[id] = Profile(id: id, workspaceId: workspaceId, createdAt: now)
        touched.insert(id)
        return id
    }

    private mutating func attach(_ id: Identifier, to profile: Int64) {
        owners[id] = profile
        byProfile[profile, default: []].append(id)
        newIdentifiers[id] = profile
        touched.insert(profile)
    }

    /// Merges two profiles; the older one survives (existing before new, then the lower id). Returns the survivor.
    private mutating func merge(_ a: Int64, _ b: Int64, eventId: Int64?, reason: String) -> Int64 {
        let aIsOlder = (a > 0) != (b > 0) ? a > 0 : (a > 0 ? a < b : a > b)
        let (survivor, loser) = aIsOlder ? (a, b) : (b, a)
        for id in byProfile.removeValue(forKey: loser) ?? [] {
            owners[id] = survivor
            byProfile[survivor, default: []].append(id)
            if newIdentifiers[id] != nil { newIdentifiers[id] = survivor }
        }
        if let gone = profiles[loser], var kept = profiles[survivor] {
            kept.mergeTraits(from: gone)
            kept.createdAt = min(kept.createdAt, gone.createdAt)
            profiles[survivor] = kept
        }
        profiles.removeValue(forKey: loser)
        mergedInto[loser] = survivor
        touched.remove(loser)
        touched.insert(survivor)
        needsRecompute.remove(loser)
        needsRecompute.insert(survivor)
        merges.append(ProfileMerge(from: loser, into: survivor, eventId: eventId, reason: reason))
        mergedInBatch.formUnion([loser, survivor])
        return survivor
    }
}

extension IdentityGraph {
    /// Replaces a profile's computed attributes (after refolding its whole history).
    public mutating func replaceComputed(_ computed: ComputedAttributes, of profile: Int64) {
        setComputed(computed, of: profile)
    }
}
