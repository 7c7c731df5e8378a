import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo profiles rebuild`.
struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles", abstract: "Maintain profiles.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild every profile of a workspace from the event log.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"

        func run() async throws {
            let store = try await db.openStore()
            do {
                let id = try await store.workspace(named: workspace).id
                let started = ContinuousClock.now
                try await store.resetProfiles(workspaceId: id)
                let applied = try await ProfileProcessor(store: store, logger: CommandLogging.quiet).catchUp(workspaceId: id)
                let seconds = (ContinuousClock.now - started).seconds
                say("Rebuilt \(try await store.profileCount(workspaceId: id)) profiles from \(applied) events in \(String(format: "%.1f", seconds)) s.")
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }
}

/// `ciclo export profiles --format csv|jsonl`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export data.", subcommands: [Profiles.self])

    struct Profiles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export live profiles as CSV or JSON lines.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        @Option(help: "csv or jsonl.") var format = "csv"
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            guard format == "csv" || format == "jsonl" else {
                throw CicloError.badRequest("invalid_format", "--format must be csv or jsonl.")
            }
            let store = try await db.openStore()
            defer { Task { await store.close() } }
            let id = try await store.workspace(named: workspace).id
            let sink: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil),
                      let handle = FileHandle(forWritingAtPath: output) else {
                    throw CicloError.badRequest("cannot_write", "Cannot write \(output).")
                }
                sink = handle
            } else {
                sink = .standardOutput
            }
            if format == "csv" {
                sink.write(Data("id,user_id,email,phone,name,first_seen,last_seen,order_count,total_revenue,traits\n".utf8))
            }
            var after: Int64 = 0
            while true {
                let page = try await store.profilePage(workspaceId: id, afterId: after, limit: 2_000)
                guard let last = page.last else { break }
                var text = ""
                for (profile, identifiers) in page {
                    text += format == "csv" ? ProfileExport.csvLine(profile, identifiers) : ProfileExport.jsonLine(profile, identifiers)
                }
                sink.write(Data(text.utf8))
                after = last.0.id
            }
            if output != nil { try sink.close() }
        }
    }
}

/// Profile export lines.
enum ProfileExport {
    static func csvLine(_ p: Profile, _ ids: [Identifier]) -> String {
        let c = p.computed
        let columns: [String?] = [
            String(p.id), ids.first { $0.kind == .userId }?.value, ids.first { $0.kind == .email }?.value,
            ids.first { $0.kind == .phone }?.value, p.displayName,
            c.firstSeen.map { ISO8601.format(Date(epochMilliseconds: $0)) }, c.lastSeen.map { ISO8601.format(Date(epochMilliseconds: $0)) },
            String(c.orderCount), String(format: "%.2f", c.totalRevenue), JSONValue.object(p.traits).jsonText,
        ]
        return CSVWriter.line(columns)
    }

    static func jsonLine(_ p: Profile, _ ids: [Identifier]) -> String {
        let value: JSONValue = [
            "id": .int(p.id), "identities": .array(ids.map { ["kind": .string($0.kind.rawValue), "value": .string($0.value)] }),
            "traits": .object(p.traits), "computed": p.computed.json,
        ]
        return value.jsonText + "\n"
    }
}
