import CicloCore
import Foundation

/// One item a background step set aside because it failed on its own every time: which stage, which item, and why.
public struct ProcessingDeadLetter: Sendable, Equatable {
    /// The stages that set items aside.
    public enum Stage: String, Sendable, CaseIterable {
        /// The profile processor and the hooks in its transaction (segments, journeys, loyalty, consent): an event.
        case profiles
        /// The journey scheduler: an enrolment whose step fails.
        case journeys
        /// The loyalty program's nightly jobs: a member's account (retried each run).
        case loyalty
    }

    /// The row id.
    public var id: Int64
    /// The workspace.
    public var workspaceId: Int64
    /// Where it failed.
    public var stage: Stage
    /// The event id (profiles), enrolment id (journeys) or profile id (loyalty).
    public var itemId: Int64
    /// The error, in words.
    public var error: String
    /// The item as JSON text, cut to 64 KB.
    public var payload: String
    /// When it was set aside (ms since epoch).
    public var createdAt: Int64
}
