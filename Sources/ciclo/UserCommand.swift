import ArgumentParser
import CicloCore
import CicloServer
import CicloStore
import Foundation

/// `ciclo user create|password|list`: dashboard users.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage dashboard users.", subcommands: [Create.self, Password.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a dashboard user to a workspace with a role; prints a one-time password for a new user.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace name (default: default).") var workspace = "default"
        @Option(help: "The user's email address.") var email: String
        @Option(help: "admin, marketer or viewer.") var role: String
        @Option(help: "The user's name.") var name: String?

        func run() async throws {
            let role = try DashboardRole.parse(role)
            let password = PasswordHashing.generate()
            let hash = try await PasswordHashing.hash(password)
            let isNew = try await db.withStore { store in
                let workspace = try await store.workspace(named: workspace)
                let isNew = try await store.dashboardUser(email: email) == nil
                try await store.addDashboardUser(email: email, name: name, passwordHash: hash, workspaceId: workspace.id, role: role)
                return isNew
            }
            if isNew {
                print("Added \(email.lowercased()) to \(workspace) as \(role.rawValue). One-time password: \(password)")
            } else {
                print("Added \(email.lowercased()) to \(workspace) as \(role.rawValue); they sign in with their existing password.")
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a new password for a user (printed once) and sign them out everywhere.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The user's email address.") var email: String

        func run() async throws {
            let password = PasswordHashing.generate()
            let hash = try await PasswordHashing.hash(password)
            try await db.withStore { store in
                guard let user = try await store.dashboardUser(email: email) else { throw CicloError.notFound("User \(email)") }
                try await store.setDashboardPassword(userId: user.id, passwordHash: hash)
            }
            print("New password for \(email.lowercased()): \(password)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a workspace's dashboard users.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace name (default: default).") var workspace = "default"

        func run() async throws {
            let members = try await db.withStore { store in
                try await store.dashboardMembers(workspaceId: try await store.workspace(named: workspace).id)
            }
            for member in members { print("\(member.email)\t\(member.role.rawValue)") }
        }
    }
}
