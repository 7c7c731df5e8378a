import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Creates a workspace with a first source `default` and an admin token; the keys are returned only here.
    public func createWorkspace(named name: String, timeZone: String = "UTC") async throws -> WorkspaceCredentials {
        try Self.validateName(name, what: "workspace")
        guard TimeZone(identifier: timeZone) != nil else {
            throw CicloError.badRequest("invalid_time_zone", "\(timeZone) is not an IANA time zone such as Europe/Rome.")
        }
        let now = self.now
        let writeKey = SecretToken.random(length: 32)
        let adminToken = "ciclo_" + SecretToken.random(length: 40)
        let secret = SecretToken.random(length: 48)
        try await database.write { session in
            let existing = try await session.sql.raw("SELECT id FROM workspaces WHERE name = \(bind: name)").first()
            guard existing == nil else {
                throw CicloError.conflict("workspace_exists", "A workspace named \(name) already exists.")
            }
            let row = try await session.sql.raw("""
                INSERT INTO workspaces (name, time_zone, secret, settings, created_at)
                VALUES (\(bind: name), \(bind: timeZone), \(bind: secret), \(unsafeRaw: "'{}'"), \(bind: now))
                RETURNING id
                """).first()
            let workspaceId = try row!.decode(column: "id", as: Int64.self)
            try await session.sql.raw("""
                INSERT INTO sources (workspace_id, name, write_key, enabled, created_at)
                VALUES (\(bind: workspaceId), 'default', \(bind: writeKey), TRUE, \(bind: now))
                """).run()
            try await session.sql.raw("""
                INSERT INTO admin_tokens (workspace_id, name, token_hash, created_at)
                VALUES (\(bind: workspaceId), 'initial', \(bind: SecretToken.hash(adminToken)), \(bind: now))
                """).run()
        }
        let workspaceId = try await workspace(named: name).id
        try await installReadyMadeSegments(workspaceId: workspaceId)
        try await installReadyMadeTemplates(workspaceId: workspaceId)
        return WorkspaceCredentials(workspace: name, writeKey: writeKey, adminToken: adminToken)
    }

    /// Every workspace, by id.
    public func workspaces() async throws -> [Workspace] {
        try await database.read { session in
            try await session.sql.raw("SELECT id, name, time_zone, secret, created_at FROM workspaces ORDER BY id")
                .all().map(Self.workspace(from:))
        }
    }

    /// The workspace called `name`; throws not found.
    public func workspace(named name: String) async throws -> Workspace {
        let found = try await database.read { session in
            try await session.sql.raw("""
                SELECT id, name, time_zone, secret, created_at FROM workspaces WHERE name = \(bind: name)
                """).first().map(Self.workspace(from:))
        }
        guard let found else { throw CicloError.notFound("Workspace \(name)") }
        return found
    }

    /// The workspace with this id; throws not found.
    public func workspace(id: Int64) async throws -> Workspace {
        guard let found = try await workspaceIfAny(id: id) else { throw CicloError.notFound("Workspace \(id)") }
        return found
    }

    /// The workspace with this id, or nil when there is none (a database failure still throws).
    public func workspaceIfAny(id: Int64) async throws -> Workspace? {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT id, name, time_zone, secret, created_at FROM workspaces WHERE id = \(bind: id)
                """).first().map(Self.workspace(from:))
        }
    }

    /// Adds a source with a new write key to a workspace.
    public func createSource(workspace: String, name: String) async throws -> Source {
        try Self.validateName(name, what: "source")
        let owner = try await self.workspace(named: workspace)
        let now = self.now
        let writeKey = SecretToken.random(length: 32)
        return try await database.write { session in
            let existing = try await session.sql.raw("""
                SELECT id FROM sources WHERE workspace_id = \(bind: owner.id) AND name = \(bind: name)
                """).first()
            guard existing == nil else {
                throw CicloError.conflict("source_exists", "Workspace \(workspace) already has a source named \(name).")
            }
            let row = try await session.sql.raw("""
                INSERT INTO sources (workspace_id, name, write_key, enabled, created_at)
                VALUES (\(bind: owner.id), \(bind: name), \(bind: writeKey), TRUE, \(bind: now)) RETURNING id
                """).first()
            return Source(id: try row!.decode(column: "id", as: Int64.self), workspaceId: owner.id, name: name,
                          writeKey: writeKey, enabled: true, createdAt: now)
        }
    }

    /// The sources of a workspace.
    public func sources(workspaceId: Int64) async throws -> [Source] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT id, workspace_id, name, write_key, enabled, created_at FROM sources
                WHERE workspace_id = \(bind: workspaceId) ORDER BY id
                """).all().map(Self.source(from:))
        }
    }

    /// Turns a source on or off; a disabled source's key gets 401.
    public func setSourceEnabled(workspaceId: Int64, name: String, enabled: Bool) async throws {
        let changed = try await database.write { session in
            try await session.sql.raw("""
                UPDATE sources SET enabled = \(bind: enabled)
                WHERE workspace_id = \(bind: workspaceId) AND name = \(bind: name) RETURNING id
                """).all().count
        }
        guard changed > 0 else { throw CicloError.notFound("Source \(name)") }
    }

    /// The enabled source a write key belongs to, or nil.
    public func source(writeKey: String) async throws -> Source? {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT id, workspace_id, name, write_key, enabled, created_at FROM sources
                WHERE write_key = \(bind: writeKey) AND enabled = TRUE
                """).first().map(Self.source(from:))
        }
    }

    /// Issues a new admin token for a workspace and returns it; only its hash is kept.
    public func createAdminToken(workspace: String, name: String = "cli") async throws -> String {
        let owner = try await self.workspace(named: workspace)
        let token = "ciclo_" + SecretToken.random(length: 40)
        let now = self.now
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO admin_tokens (workspace_id, name, token_hash, created_at)
                VALUES (\(bind: owner.id), \(bind: name), \(bind: SecretToken.hash(token)), \(bind: now))
                """).run()
        }
        return token
    }

    /// The workspace an unrevoked admin token belongs to, or nil.
    public func workspace(adminToken: String) async throws -> Workspace? {
        let hash = SecretToken.hash(adminToken)
        return try await database.read { session in
            try await session.sql.raw("""
                SELECT w.id, w.name, w.time_zone, w.secret, w.created_at FROM admin_tokens t
                JOIN workspaces w ON w.id = t.workspace_id
                WHERE t.token_hash = \(bind: hash) AND t.revoked_at IS NULL
                """).first().map(Self.workspace(from:))
        }
    }

    static func validateName(_ name: String, what: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw CicloError.badRequest("invalid_name",
                "A \(what) name is 1 to 64 letters, digits, dots, dashes or underscores; \(name.debugDescription) is not.")
        }
    }

    static func workspace(from row: any SQLRow) throws -> Workspace {
        Workspace(id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                  timeZone: try row.decode(column: "time_zone", as: String.self),
                  secret: try row.decode(column: "secret", as: String.self),
                  createdAt: try row.decode(column: "created_at", as: Int64.self))
    }

    static func source(from row: any SQLRow) throws -> Source {
        Source(id: try row.decode(column: "id", as: Int64.self),
               workspaceId: try row.decode(column: "workspace_id", as: Int64.self),
               name: try row.decode(column: "name", as: String.self),
               writeKey: try row.decode(column: "write_key", as: String.self),
               enabled: try row.decode(column: "enabled", as: Bool.self),
               createdAt: try row.decode(column: "created_at", as: Int64.self))
    }
}
