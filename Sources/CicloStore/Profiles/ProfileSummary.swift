import CicloCore
import Foundation

/// A profile as lists and search results show it.
public struct ProfileSummary: Sendable, Codable, Equatable {
    public var id: Int64
    public var userId: String?
    public var email: String?
    public var name: String?
    public var firstSeen: Int64?
    public var lastSeen: Int64?
    public var orderCount: Int
    public var totalRevenue: Double
}

/// The 360° view of one person.
public struct ProfileDetail: Sendable {
    /// The profile (the survivor, when the id asked for was merged away).
    public var profile: Profile
    /// Every identifier.
    public var identifiers: [Identifier]
    /// Profiles merged into this one, with when and why.
    public var merges: [(from: Int64, at: Int64, reason: String)]
    /// Identifiers that could not be attached because they belong to someone else.
    public var conflicts: [(identifier: Identifier, owner: Int64, at: Int64)]
    /// Events by call type.
    public var eventCounts: [String: Int]
    /// The id asked for, when it differs from `profile.id` because of a merge.
    public var requestedId: Int64
    /// Keys of the segments the person is in.
    public var segments: [String]
    /// Stage changes, newest first: stage, entered, exited.
    public var stageHistory: [(stage: String, enteredAt: Int64, exitedAt: Int64?)]
}
