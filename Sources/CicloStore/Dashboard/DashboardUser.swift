import CicloCore

/// What a dashboard user may do in a workspace.
public enum DashboardRole: String, Sendable, CaseIterable, Codable, Comparable {
    /// Read only.
    case viewer
    /// Builds and runs segments, journeys and templates.
    case marketer
    /// Everything, including keys, channel settings and users.
    case admin

    /// Higher roles include lower ones.
    var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    /// Parses a role name, with a clear error for anything else.
    public static func parse(_ text: String) throws -> DashboardRole {
        guard let role = DashboardRole(rawValue: text.lowercased()) else {
            throw CicloError.badRequest("invalid_role", "A role is admin, marketer or viewer; \(text.debugDescription) is not.")
        }
        return role
    }
}

/// A person who signs in to the dashboard.
public struct DashboardUser: Sendable, Equatable, Codable {
    public var id: Int64
    public var email: String
    public var name: String?
    public var passwordHash: String
    public var createdAt: Int64
    public var lastSignInAt: Int64?
}

/// A user's role in one workspace.
public struct DashboardMembership: Sendable, Equatable, Codable {
    public var workspaceId: Int64
    public var workspaceName: String
    public var role: DashboardRole
}

/// A workspace member as the settings page lists them.
public struct DashboardMember: Sendable, Equatable, Codable {
    public var userId: Int64
    public var email: String
    public var name: String?
    public var role: DashboardRole
    public var lastSignInAt: Int64?
}

/// A signed-in session as the dashboard sees it: who, where, with which role, and the form token.
public struct DashboardSignedIn: Sendable, Equatable {
    public var user: DashboardUser
    public var workspace: Workspace
    public var role: DashboardRole
    public var csrfToken: String
    public var expiresAt: Int64
    /// Every workspace the user can switch to.
    public var memberships: [DashboardMembership]
}
