import CicloCore
import Foundation
import SQLKit

extension Store {
    /// The workspace's attribution windows (the standard ones until set). A stored value that no longer parses is an
    /// error to see, not a reason to credit orders differently without saying so.
    public func attributionWindows(workspaceId: Int64) async throws -> AttributionWindows {
        let settings = try await database.read { session in try await Self.workspaceSettings(session, workspaceId) }
        guard let stored = settings["attributionWindows"], !stored.isNull else { return .standard }
        return try AttributionWindows.parse(stored, over: .standard, at: "settings.attributionWindows")
    }

    /// Applies `change` (kind → span, null to stop crediting it) to the workspace's windows in one transaction.
    public func updateAttributionWindows(workspaceId: Int64, _ change: JSONValue) async throws -> AttributionWindows {
        try await database.write { session in
            var settings = try await Self.workspaceSettings(session, workspaceId)
            let current = try settings["attributionWindows"].map { try AttributionWindows.parse($0, over: .standard) } ?? .standard
            let updated = try AttributionWindows.parse(change, over: current)
            settings["attributionWindows"] = updated.json
            try await session.sql.raw("""
                UPDATE workspaces SET settings = \(bind: JSONValue.object(settings).jsonText)\(unsafeRaw: session.dialect.jsonCast)
                WHERE id = \(bind: workspaceId)
                """).run()
            return updated
        }
    }

    static func workspaceSettings(_ session: DatabaseSession, _ workspaceId: Int64) async throws -> [String: JSONValue] {
        guard let row = try await session.sql.raw("""
            SELECT \(unsafeRaw: session.dialect.jsonText("settings")) AS settings FROM workspaces WHERE id = \(bind: workspaceId)
            """).first() else { throw CicloError.notFound("Workspace \(workspaceId)") }
        guard case .object(let settings) = try JSONValue.parse(try row.decode(column: "settings", as: String.self)) else {
            throw CicloError.conflict("invalid_settings", "Workspace \(workspaceId)'s settings are not a JSON object.")
        }
        return settings
    }
}
