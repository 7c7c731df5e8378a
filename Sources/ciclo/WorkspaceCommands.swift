import ArgumentParser
import CicloStore
import Foundation

/// `ciclo workspace create|list`.
struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace", abstract: "Create and list workspaces.",
        subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a workspace with a write key and an admin token.")
        @OptionGroup var db: DatabaseOption
        @Argument(help: "The workspace name (letters, digits, . - _).") var name: String
        @Option(name: .customLong("time-zone"), help: "IANA time zone for reports and schedules.") var timeZone = "UTC"
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let store = try await db.openStore()
            let credentials: WorkspaceCredentials
            do { credentials = try await store.createWorkspace(named: name, timeZone: timeZone) } catch {
                await store.close()
                throw error
            }
            await store.close()
            if json {
                try printJSON(credentials)
            } else {
                print("Created workspace \(credentials.workspace).")
                print("  Write key:   \(credentials.writeKey)")
                print("  Admin token: \(credentials.adminToken)  (shown once; keep it safe)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List workspaces.")
        @OptionGroup var db: DatabaseOption
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            var id: Int64
            var name: String
            var timeZone: String
        }

        func run() async throws {
            let store = try await db.openStore()
            let workspaces = try await store.workspaces()
            await store.close()
            if json {
                try printJSON(workspaces.map { Row(id: $0.id, name: $0.name, timeZone: $0.timeZone) })
            } else {
                for workspace in workspaces { print("\(workspace.id)\t\(workspace.name)\t\(workspace.timeZone)") }
            }
        }
    }
}

/// `ciclo source create`.
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source", abstract: "Manage event sources and their write keys.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a source with a new write key.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace name (default: default).") var workspace = "default"
        @Option(help: "The source name, such as web or ios.") var name: String
        @Flag(help: "Print JSON.") var json = false

        struct Output: Encodable {
            var workspace: String
            var source: String
            var writeKey: String
        }

        func run() async throws {
            let store = try await db.openStore()
            let source: Source
            do { source = try await store.createSource(workspace: workspace, name: name) } catch {
                await store.close()
                throw error
            }
            await store.close()
            if json {
                try printJSON(Output(workspace: workspace, source: source.name, writeKey: source.writeKey))
            } else {
                print("Created source \(source.name) in \(workspace). Write key: \(source.writeKey)")
            }
        }
    }
}

/// `ciclo token create`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage admin API tokens.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a new admin API token.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace name (default: default).") var workspace = "default"
        @Option(help: "A label for the token.") var name = "cli"
        @Flag(help: "Print JSON.") var json = false

        struct Output: Encodable {
            var workspace: String
            var adminToken: String
        }

        func run() async throws {
            let store = try await db.openStore()
            let token: String
            do { token = try await store.createAdminToken(workspace: workspace, name: name) } catch {
                await store.close()
                throw error
            }
            await store.close()
            if json {
                try printJSON(Output(workspace: workspace, adminToken: token))
            } else {
                print("Admin token for \(workspace): \(token)  (shown once; keep it safe)")
            }
        }
    }
}
