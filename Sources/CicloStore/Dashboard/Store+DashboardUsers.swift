import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Adds a user to a workspace with a role, creating the user if the email is new; returns the user.
    /// The password hash is only set for a new user.
    @discardableResult
    public func addDashboardUser(email rawEmail: String, name: String? = nil, passwordHash: String, workspaceId: Int64,
                                 role: DashboardRole) async throws -> DashboardUser {
        let email = try Self.validEmail(rawEmail)
        let now = self.now
        try await database.write { session in
            let sql = session.sql
            var userId = try await sql.raw("SELECT id FROM dashboard_users WHERE email = \(bind: email)").first()?
                .decode(column: "id", as: Int64.self)
            if userId == nil {
                userId = try await sql.raw("""
                    INSERT INTO dashboard_users (email, name, password_hash, created_at)
                    VALUES (\(bind: email), \(bind: name), \(bind: passwordHash), \(bind: now)) RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
            }
            let existing = try await sql.raw("""
                SELECT role FROM dashboard_memberships WHERE user_id = \(bind: userId!) AND workspace_id = \(bind: workspaceId)
                """).first()
            guard existing == nil else {
                throw CicloError.conflict("member_exists", "\(email) is already a member of this workspace.")
            }
            try await sql.raw("""
                INSERT INTO dashboard_memberships (user_id, workspace_id, role, created_at)
                VALUES (\(bind: userId!), \(bind: workspaceId), \(bind: role.rawValue), \(bind: now))
                """).run()
        }
        return try await dashboardUser(email: email)!
    }

    /// The user with this email (case-insensitive), or nil.
    public func dashboardUser(email: String) async throws -> DashboardUser? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        return try await database.read { session in
            try await session.sql.raw("""
                SELECT id, email, name, password_hash, created_at, last_sign_in_at FROM dashboard_users WHERE email = \(bind: email)
                """).first().map(Self.dashboardUser(from:))
        }
    }

    /// Sets a new password hash and signs the user out everywhere.
    public func setDashboardPassword(userId: Int64, passwordHash: String) async throws {
        try await database.write { session in
            try await session.sql.raw("UPDATE dashboard_users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: userId)").run()
            try await session.sql.raw("DELETE FROM dashboard_sessions WHERE user_id = \(bind: userId)").run()
        }
    }

    /// The workspaces a user belongs to, by name.
    public func dashboardMemberships(userId: Int64) async throws -> [DashboardMembership] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT m.workspace_id, w.name, m.role FROM dashboard_memberships m JOIN workspaces w ON w.id = m.workspace_id
                WHERE m.user_id = \(bind: userId) ORDER BY w.name
                """).all().map { row in
                DashboardMembership(workspaceId: try row.decode(column: "workspace_id", as: Int64.self),
                                    workspaceName: try row.decode(column: "name", as: String.self),
                                    role: DashboardRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer)
            }
        }
    }

    /// A workspace's members, by email.
    public func dashboardMembers(workspaceId: Int64) async throws -> [DashboardMember] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT u.id, u.email, u.name, u.last_sign_in_at, m.role FROM dashboard_memberships m
                JOIN dashboard_users u ON u.id = m.user_id WHERE m.workspace_id = \(bind: workspaceId) ORDER BY u.email
                """).all().map { row in
                DashboardMember(userId: try row.decode(column: "id", as: Int64.self), email: try row.decode(column: "email", as: String.self),
                                name: try row.decode(column: "name", as: String?.self),
                                role: DashboardRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
                                lastSignInAt: try row.decode(column: "last_sign_in_at", as: Int64?.self))
            }
        }
    }

    /// Changes a member's role, or removes them (nil); the last admin cannot be demoted or removed.
    public func setDashboardRole(workspaceId: Int64, userId: Int64, role: DashboardRole?) async throws {
        try await database.write { session in
            let sql = session.sql
            guard let current = try await sql.raw("""
                SELECT role FROM dashboard_memberships WHERE workspace_id = \(bind: workspaceId) AND user_id = \(bind: userId)
                """).first()?.decode(column: "role", as: String.self) else { throw CicloError.notFound("Member \(userId)") }
            if current == DashboardRole.admin.rawValue && role != .admin {
                let admins = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM dashboard_memberships WHERE workspace_id = \(bind: workspaceId) AND role = 'admin'
                    """).first()!.decode(column: "n", as: Int.self)
                guard admins > 1 else {
                    throw CicloError.conflict("last_admin", "A workspace needs at least one admin; make someone else admin first.")
                }
            }
            if let role {
                try await sql.raw("""
                    UPDATE dashboard_memberships SET role = \(bind: role.rawValue)
                    WHERE workspace_id = \(bind: workspaceId) AND user_id = \(bind: userId)
                    """).run()
            } else {
                try await sql.raw("DELETE FROM dashboard_memberships WHERE workspace_id = \(bind: workspaceId) AND user_id = \(bind: userId)").run()
                try await sql.raw("""
                    DELETE FROM dashboard_sessions WHERE workspace_id = \(bind: workspaceId) AND user_id = \(bind: userId)
                    """).run()
            }
        }
    }

    static func validEmail(_ text: String) throws -> String {
        let email = text.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(" "), email.count <= 254 else {
            throw CicloError.badRequest("invalid_email", "\(text.debugDescription) is not an email address.")
        }
        return email
    }

    static func dashboardUser(from row: any SQLRow) throws -> DashboardUser {
        DashboardUser(id: try row.decode(column: "id", as: Int64.self), email: try row.decode(column: "email", as: String.self),
                      name: try row.decode(column: "name", as: String?.self),
                      passwordHash: try row.decode(column: "password_hash", as: String.self),
                      createdAt: try row.decode(column: "created_at", as: Int64.self),
                      lastSignInAt: try row.decode(column: "last_sign_in_at", as: Int64?.self))
    }
}
