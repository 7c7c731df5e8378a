import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo journey validate|apply|simulate|activate|pause`: journeys as code.
struct JourneyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey", abstract: "Manage journeys as code.",
        subcommands: [Validate.self, Apply.self, Simulate.self, Activate.self, Pause.self])

    static func read(_ file: String) throws -> JourneyDefinition {
        guard let data = FileManager.default.contents(atPath: file) else { throw CicloError.badRequest("file_not_found", "Cannot read \(file).") }
        let json: JSONValue
        do { json = try JSONParser.parse(data) } catch let e as JSONParser.SyntaxError {
            throw CicloError.badRequest("invalid_json", "\(file) is not valid JSON: \(e.description).")
        }
        do { return try JourneyDefinition.parse(json) } catch let invalid as JourneyInvalid {
            throw CicloError.badRequest("invalid_journey", "\(file) has \(invalid.problems.count) problem(s): " + invalid.problems.map(\.description).joined(separator: "; "))
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a journey document and name every problem with its step.")
        @Argument(help: "The journey JSON file.") var file: String
        func run() async throws {
            let definition = try JourneyCommand.read(file)
            say("\(file): journey \(definition.key) is valid (\(definition.steps.count) steps).")
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the journey, or save the document as its next version.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        @Argument(help: "The journey JSON file.") var file: String
        func run() async throws {
            let definition = try JourneyCommand.read(file)
            try await withWorkspace(db, workspace) { store, id in
                let saved = try await JourneyLibrary(store: store, channels: try JourneyCommand.channels()).save(workspaceId: id, definition)
                say("Saved journey \(definition.key) as version \(saved.version) (\(saved.status.rawValue)).")
            }
        }
    }

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replay recent events through a journey document without sending anything.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        @Option(help: "Days of history to replay.") var days = 30
        @Flag(help: "Print JSON.") var json = false
        @Argument(help: "The journey JSON file.") var file: String
        func run() async throws {
            let definition = try JourneyCommand.read(file)
            try await withWorkspace(db, workspace) { store, id in
                let report = try await JourneyDryRun(store: store).simulate(definition, workspaceId: id, days: days)
                if json { try printJSON(report); return }
                say("Over the last \(days) days, \(report.entered) people would have entered \(definition.name).")
                for (step, outcomes) in report.steps.sorted(by: { $0.key < $1.key }) {
                    say("  \(step): " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                }
                say("Messages: " + report.messages.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                say("Converted \(report.converted) (revenue \(String(format: "%.2f", report.revenue))), exited \(report.exited), completed \(report.completed), still in \(report.stillActive).")
            }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Switch a journey on.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        @Argument(help: "The journey key.") var key: String
        @Flag(help: "Activate even if it sends on a channel this server has no settings for (those messages fail).") var force = false
        func run() async throws {
            try await withWorkspace(db, workspace) { store, id in
                try await JourneyLibrary(store: store, channels: try JourneyCommand.channels()).activate(workspaceId: id, key: key, force: force)
                say("Journey \(key) is active.")
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a journey (its enrolments wait).")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        @Argument(help: "The journey key.") var key: String
        func run() async throws {
            try await withWorkspace(db, workspace) { store, id in
                try await store.setJourneyStatus(workspaceId: id, key: key, .paused)
                say("Journey \(key) is paused.")
            }
        }
    }

    /// The channel settings a server started here would have (the same environment `ciclo serve` reads).
    static func channels() throws -> ChannelSettings {
        try ChannelSettings.fromEnvironment(ProcessInfo.processInfo.environment, defaultPublicURL: "http://localhost:8080")
    }
}
