import CicloCore
import Foundation
import SQLKit

extension Store {
    /// How long a session lasts without use; each use within the last half extends it.
    public static let dashboardSessionLifetime: Int64 = 12 * 3_600_000

    /// Starts a session in the user's first (or chosen) workspace; returns the cookie value, kept only as a hash.
    public func startDashboardSession(userId: Int64, workspaceId: Int64? = nil) async throws -> String {
        let memberships = try await dashboardMemberships(userId: userId)
        guard let membership = memberships.first(where: { workspaceId == nil || $0.workspaceId == workspaceId }) else {
            throw CicloError(.forbidden, code: "no_workspace", "This user is not a member of any workspace.")
        }
        let token = SecretToken.random(length: 43)
        let now = self.now
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO dashboard_sessions (token_hash, user_id, workspace_id, csrf_token, created_at, expires_at)
                VALUES (\(bind: SecretToken.hash(token)), \(bind: userId), \(bind: membership.workspaceId),
                \(bind: SecretToken.random(length: 32)), \(bind: now), \(bind: now + Self.dashboardSessionLifetime))
                """).run()
            try await session.sql.raw("UPDATE dashboard_users SET last_sign_in_at = \(bind: now) WHERE id = \(bind: userId)").run()
            // Expired sessions go whenever someone signs in, so the table stays small without a sweeper.
            try await session.sql.raw("DELETE FROM dashboard_sessions WHERE expires_at < \(bind: now)").run()
        }
        return token
    }

    /// The signed-in session behind a cookie value, or nil when unknown, expired or no longer a member.
    public func dashboardSession(token: String) async throws -> DashboardSignedIn? {
        let hash = SecretToken.hash(token)
        let now = self.now
        let found: (DashboardUser, Workspace, DashboardRole, String, Int64)? = try await database.read { session in
            guard let row = try await session.sql.raw("""
                SELECT s.csrf_token, s.expires_at, m.role, u.id, u.email, u.name, u.password_hash, u.created_at, u.last_sign_in_at,
                w.id AS w_id, w.name AS w_name, w.time_zone AS w_time_zone, w.secret AS w_secret, w.created_at AS w_created_at
                FROM dashboard_sessions s JOIN dashboard_users u ON u.id = s.user_id
                JOIN dashboard_memberships m ON m.user_id = s.user_id AND m.workspace_id = s.workspace_id
                JOIN workspaces w ON w.id = s.workspace_id
                WHERE s.token_hash = \(bind: hash) AND s.expires_at > \(bind: now)
                """).first() else { return nil }
            let workspace = Workspace(id: try row.decode(column: "w_id", as: Int64.self), name: try row.decode(column: "w_name", as: String.self),
                                      timeZone: try row.decode(column: "w_time_zone", as: String.self),
                                      secret: try row.decode(column: "w_secret", as: String.self),
                                      createdAt: try row.decode(column: "w_created_at", as: Int64.self))
            return (try Self.dashboardUser(from: row), workspace,
                    DashboardRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
                    try row.decode(column: "csrf_token", as: String.self), try row.decode(column: "expires_at", as: Int64.self))
        }
        guard let (user, workspace, role, csrf, expiresAt) = found else { return nil }
        var expiry = expiresAt
        if expiresAt - now < Self.dashboardSessionLifetime / 2 {
            let extended = now + Self.dashboardSessionLifetime
            try await database.write { session in
                try await session.sql.raw("UPDATE dashboard_sessions SET expires_at = \(bind: extended) WHERE token_hash = \(bind: hash)").run()
            }
            expiry = extended
        }
        return DashboardSignedIn(user: user, workspace: workspace, role: role, csrfToken: csrf, expiresAt: expiry,
                                 memberships: try await dashboardMemberships(userId: user.id))
    }

    /// Moves a session to another workspace the user belongs to.
    public func switchDashboardWorkspace(token: String, userId: Int64, workspaceId: Int64) async throws {
        let memberships = try await dashboardMemberships(userId: userId)
        guard memberships.contains(where: { $0.workspaceId == workspaceId }) else {
            throw CicloError(.forbidden, code: "not_a_member", "You are not a member of that workspace.")
        }
        try await database.write { session in
            try await session.sql.raw("""
                UPDATE dashboard_sessions SET workspace_id = \(bind: workspaceId) WHERE token_hash = \(bind: SecretToken.hash(token))
                """).run()
        }
    }

    /// Ends a session.
    public func endDashboardSession(token: String) async throws {
        try await database.write { session in
            try await session.sql.raw("DELETE FROM dashboard_sessions WHERE token_hash = \(bind: SecretToken.hash(token))").run()
        }
    }
}
