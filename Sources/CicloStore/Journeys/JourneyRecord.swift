import CicloCore
import Foundation
import SQLKit

/// A stored journey: its current definition, status and version.
public struct JourneyRecord: Sendable {
    /// Draft (never run), active, paused (enrolments held) or archived.
    public enum Status: String, Sendable, Codable, CaseIterable { case draft, active, paused, archived }

    public var id: Int64
    public var definition: JourneyDefinition
    public var status: Status
    public var version: Int
    public var activatedAt: Int64?
    public var updatedAt: Int64
}
