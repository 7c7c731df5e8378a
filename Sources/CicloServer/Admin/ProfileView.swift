import CicloCore
import CicloStore
import Foundation

/// The 360° profile as the admin API shows it.
struct ProfileView: Encodable {
    struct IdentityView: Encodable {
        var kind: String
        var value: String
    }

    struct MergeView: Encodable {
        var from: Int64
        var at: String
        var reason: String
    }

    struct ConflictView: Encodable {
        var kind: String
        var value: String
        var ownerProfileId: Int64
        var at: String
    }

    var id: Int64
    var requestedId: Int64?
    var displayName: String?
    var identities: [IdentityView]
    var traits: JSONValue
    var computed: JSONValue
    var firstSeen: String?
    var lastSeen: String?
    var merges: [MergeView]
    var conflicts: [ConflictView]
    var eventCounts: [String: Int]
    var eventTotal: Int
    var stage: String?
    var stageEnteredAt: String?
    var persona: String?
    var rfm: JSONValue?
    var segments: [String]
    var stageHistory: [JSONValue]
    var predictions: JSONValue

    init(_ d: ProfileDetail) {
        id = d.profile.id
        requestedId = d.requestedId == d.profile.id ? nil : d.requestedId
        displayName = d.profile.displayName
        identities = d.identifiers.map { IdentityView(kind: $0.kind.rawValue, value: $0.value) }
        traits = .object(d.profile.traits)
        var computed = d.profile.computed.json
        if case .object(var members) = computed {
            members.removeValue(forKey: "recentOrders")
            if let aov = d.profile.computed.averageOrderValue { members["averageOrderValue"] = .double(aov) }
            computed = .object(members)
        }
        self.computed = computed
        firstSeen = d.profile.computed.firstSeen.map { ISO8601.format(Date(epochMilliseconds: $0)) }
        lastSeen = d.profile.computed.lastSeen.map { ISO8601.format(Date(epochMilliseconds: $0)) }
        merges = d.merges.map { MergeView(from: $0.from, at: ISO8601.format(Date(epochMilliseconds: $0.at)), reason: $0.reason) }
        conflicts = d.conflicts.map {
            ConflictView(kind: $0.identifier.kind.rawValue, value: $0.identifier.value, ownerProfileId: $0.owner,
                         at: ISO8601.format(Date(epochMilliseconds: $0.at)))
        }
        eventCounts = d.eventCounts
        eventTotal = d.eventCounts.values.reduce(0, +)
        let l = d.profile.lifecycle
        stage = l.stage
        stageEnteredAt = l.stageEnteredAt.map { ISO8601.format(Date(epochMilliseconds: $0)) }
        persona = l.persona
        if let r = l.rfmRecency, let f = l.rfmFrequency, let m = l.rfmMonetary {
            rfm = ["recency": .int(Int64(r)), "frequency": .int(Int64(f)), "monetary": .int(Int64(m)),
                   "segment": l.rfmSegment.map(JSONValue.string) ?? .null]
        }
        segments = d.segments
        predictions = d.profile.scores.json(d.profile)
        stageHistory = d.stageHistory.map {
            ["stage": .string($0.stage), "enteredAt": .string(ISO8601.format(Date(epochMilliseconds: $0.enteredAt))),
             "exitedAt": $0.exitedAt.map { .string(ISO8601.format(Date(epochMilliseconds: $0))) } ?? .null]
        }
    }
}
