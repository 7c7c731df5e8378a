import CicloCore
import Foundation

/// A filtered, paged look at a workspace's event log, newest first.
public struct EventQuery: Sendable {
    /// The workspace.
    public var workspaceId: Int64
    /// Only events of the person this user id resolves to (and unresolved events carrying it).
    public var userId: String?
    /// Only events of the person this anonymous id resolves to (and unresolved events carrying it).
    public var anonymousId: String?
    /// Only events of this profile.
    public var profileId: Int64?
    /// Only track events with this name.
    public var event: String?
    /// Only events at or after this time.
    public var from: Date?
    /// Only events before this time.
    public var to: Date?
    /// Continue after this cursor (from the previous page).
    public var after: EventCursor?
    /// Page size.
    public var limit: Int

    /// Creates a query.
    public init(workspaceId: Int64, userId: String? = nil, anonymousId: String? = nil, profileId: Int64? = nil,
                event: String? = nil, from: Date? = nil, to: Date? = nil, after: EventCursor? = nil, limit: Int = 50) {
        self.workspaceId = workspaceId
        self.userId = userId
        self.anonymousId = anonymousId
        self.profileId = profileId
        self.event = event
        self.from = from
        self.to = to
        self.after = after
        self.limit = limit
    }
}

/// A position in a newest-first listing: the (timestamp, id) of the last row seen.
public struct EventCursor: Sendable, Equatable {
    /// Timestamp of the last row, ms.
    public var timestamp: Int64
    /// Id of the last row.
    public var id: Int64

    /// Creates a cursor.
    public init(timestamp: Int64, id: Int64) {
        self.timestamp = timestamp
        self.id = id
    }

    /// Parses the `timestamp.id` text form; nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let t = Int64(parts[0]), let i = Int64(parts[1]) else { return nil }
        self.init(timestamp: t, id: i)
    }

    /// The text form handed to clients.
    public var text: String { "\(timestamp).\(id)" }
}
