import CicloCore
import Foundation

/// An event as the admin API shows it, in the Segment spec's field names.
struct EventView: Encodable {
    var id: Int64?
    var messageId: String
    var type: String
    var event: String?
    var name: String?
    var userId: String?
    var anonymousId: String?
    var groupId: String?
    var previousId: String?
    var profileId: Int64?
    var properties: JSONValue
    var traits: JSONValue
    var context: JSONValue
    var timestamp: String
    var originalTimestamp: String?
    var sentAt: String?
    var receivedAt: String

    init(_ e: Event) {
        id = e.id
        messageId = e.messageId
        type = e.type.rawValue
        event = e.event
        name = e.name
        userId = e.userId
        anonymousId = e.anonymousId
        groupId = e.groupId
        previousId = e.previousId
        profileId = e.profileId
        properties = e.properties
        traits = e.traits
        context = e.context
        timestamp = ISO8601.format(e.timestamp)
        originalTimestamp = e.originalTimestamp.map(ISO8601.format)
        sentAt = e.sentAt.map(ISO8601.format)
        receivedAt = ISO8601.format(e.receivedAt)
    }
}
