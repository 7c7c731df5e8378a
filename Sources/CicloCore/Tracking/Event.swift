import Foundation

/// The kinds of call the Segment tracking protocol defines.
public enum EventType: String, Sendable, Codable, CaseIterable {
    case identify, track, page, screen, group, alias
}

/// One entry of the append-only event log: something a person did, or something Ciclo did to them.
public struct Event: Sendable, Equatable {
    /// The log position, assigned when stored.
    public var id: Int64?
    /// The workspace the event belongs to.
    public var workspaceId: Int64
    /// The source (write key) it came through; nil for events Ciclo derives itself.
    public var sourceId: Int64?
    /// The sender's unique id for the message, used to drop duplicates.
    public var messageId: String
    /// The call type.
    public var type: EventType
    /// The event name of a track call (`Order Completed`).
    public var event: String?
    /// The page or screen name of a page or screen call.
    public var name: String?
    /// The person's id in the sender's own system.
    public var userId: String?
    /// The device or browser id of a visitor not yet known.
    public var anonymousId: String?
    /// The account of a group call.
    public var groupId: String?
    /// The earlier id of an alias call.
    public var previousId: String?
    /// The profile the event was resolved to, once the profile processor has seen it.
    public var profileId: Int64?
    /// Properties of a track, page or screen call.
    public var properties: JSONValue
    /// Traits of an identify or group call.
    public var traits: JSONValue
    /// The sender's context (device, page, campaign, locale, ...).
    public var context: JSONValue
    /// The time the sender said the event happened.
    public var originalTimestamp: Date?
    /// The corrected time the event happened, used on every timeline.
    public var timestamp: Date
    /// The time the sender said it sent the message.
    public var sentAt: Date?
    /// The time Ciclo received the message.
    public var receivedAt: Date

    /// Creates an event; the log assigns `id`.
    public init(
        id: Int64? = nil, workspaceId: Int64, sourceId: Int64? = nil, messageId: String, type: EventType,
        event: String? = nil, name: String? = nil, userId: String? = nil, anonymousId: String? = nil,
        groupId: String? = nil, previousId: String? = nil, profileId: Int64? = nil,
        properties: JSONValue = .object([:]), traits: JSONValue = .object([:]), context: JSONValue = .object([:]),
        originalTimestamp: Date? = nil, timestamp: Date, sentAt: Date? = nil, receivedAt: Date
    ) {
        self.id = id
        self.workspaceId = workspaceId
        self.sourceId = sourceId
        self.messageId = messageId
        self.type = type
        self.event = event
        self.name = name
        self.userId = userId
        self.anonymousId = anonymousId
        self.groupId = groupId
        self.previousId = previousId
        self.profileId = profileId
        self.properties = properties
        self.traits = traits
        self.context = context
        self.originalTimestamp = originalTimestamp
        self.timestamp = timestamp
        self.sentAt = sentAt
        self.receivedAt = receivedAt
    }
}
