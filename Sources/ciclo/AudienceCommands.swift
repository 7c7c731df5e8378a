import ArgumentParser
import CicloCore
import CicloStore
import Foundation

/// `ciclo segments recompute`, `ciclo rfm run`, `ciclo lifecycle use|show`.
struct SegmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "segments", abstract: "Maintain segments.", subcommands: [Recompute.self])

    struct Recompute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute every segment, stage and persona from scratch and apply the differences.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"

        func run() async throws {
            try await withWorkspace(db, workspace) { store, id in
                try await store.installReadyMadeSegments(workspaceId: id)
                let report = try await store.recomputeAudience(workspaceId: id)
                for (key, delta) in report.segments.sorted(by: { $0.key < $1.key }) {
                    say("\(key.padding(toLength: 28, withPad: " ", startingAt: 0)) \(delta.members) members (+\(delta.entered) −\(delta.exited))")
                }
                say("\(report.stageChanges) stage changes, \(report.personaChanges) persona changes in \(String(format: "%.1f", report.seconds)) s.")
            }
        }
    }
}

struct RFMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rfm", abstract: "RFM scoring.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Score every customer now and recompute what reads the scores.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"

        func run() async throws {
            try await withWorkspace(db, workspace) { store, id in
                let report = try await store.runRFM(workspaceId: id)
                _ = try await store.recomputeAudience(workspaceId: id)
                for (name, n) in report.segments.sorted(by: { $0.value > $1.value }) { say("\(name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(n)") }
                say("Scored \(report.customers) customers in \(String(format: "%.2f", report.seconds)) s.")
            }
        }
    }
}

struct LifecycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lifecycle", abstract: "The lifecycle model.", subcommands: [Use.self, Show.self])

    struct Use: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Switch to a built-in model (\(LifecycleModel.builtIn.map(\.key).joined(separator: ", "))).")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        @Argument(help: "The model key.") var model: String

        func run() async throws {
            guard let chosen = LifecycleModel.builtIn.first(where: { $0.key == model }) else {
                throw CicloError.badRequest("unknown_model", "No built-in model \(model); one of \(LifecycleModel.builtIn.map(\.key).joined(separator: ", ")).")
            }
            try await withWorkspace(db, workspace) { store, id in
                try await store.setLifecycleModel(workspaceId: id, chosen)
                let report = try await store.recomputeAudience(workspaceId: id)
                say("Now using \(chosen.name); \(report.stageChanges) people changed stage.")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the active model as JSON.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"

        func run() async throws {
            try await withWorkspace(db, workspace) { store, id in say(try await store.lifecycleModel(workspaceId: id).json.jsonText) }
        }
    }
}

/// Opens the store, finds the workspace, runs `body`, and closes the store whatever happens.
func withWorkspace(_ db: DatabaseOption, _ name: String, _ body: (Store, Int64) async throws -> Void) async throws {
    let store = try await db.openStore()
    do {
        try await body(store, try await store.workspace(named: name).id)
    } catch {
        await store.close()
        throw error
    }
    await store.close()
}
