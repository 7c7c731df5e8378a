import ArgumentParser
import CicloCore
import CicloStore
import Foundation

extension TokenCommand {
    /// `ciclo token list`: a workspace's admin tokens (never the tokens themselves).
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a workspace's admin API tokens (ids, names, when made and revoked).")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace name (default: default).") var workspace = "default"
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable { var id: Int64; var name: String; var createdAt: String; var revokedAt: String? }

        func run() async throws {
            let rows = try await db.withStore { store in
                try await store.adminTokens(workspaceId: try await store.workspace(named: workspace).id).map {
                    Row(id: $0.id, name: $0.name, createdAt: ISO8601.format(Date(epochMilliseconds: $0.createdAt)),
                        revokedAt: $0.revokedAt.map { ISO8601.format(Date(epochMilliseconds: $0)) })
                }
            }
            if json { return try printJSON(rows) }
            for r in rows { say("\(r.id)\t\(r.name)\tcreated \(r.createdAt)\t\(r.revokedAt.map { "revoked \($0)" } ?? "active")") }
        }
    }

    /// `ciclo token revoke ID`: requests with that token get 401 from then on.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an admin API token by its id (see token list).")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace name (default: default).") var workspace = "default"
        @Argument(help: "The token's id.") var id: Int64

        func run() async throws {
            try await db.withStore { store in
                try await store.revokeAdminToken(workspaceId: try await store.workspace(named: workspace).id, id: id)
            }
            say("Revoked token \(id) of \(workspace).")
        }
    }
}
