import ArgumentParser
import CicloCore
import CicloStore
import Foundation

extension ImportCommand {
    /// `ciclo import content FILE.csv`: content items, one per row; lists (stages, personas, channels) separated by `;`.
    struct ContentImport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "content",
            abstract: "Import content items (key, title, format, url, body, stages, personas, channels, topic, status, publish_from, publish_until, goal_event, priority, owner).")
        @OptionGroup var db: DatabaseOption
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Workspace to import into.") var workspace = "default"
        @Option(help: "Where rejected rows go (default FILE.rejects.csv).") var rejects: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CicloError.badRequest("file_not_found", "Cannot read \(file).") }
            var reader = CSVReader()
            let records = reader.feed(data) + reader.finish()
            guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
                throw CicloError.badRequest("empty_file", "\(file) is empty.")
            }
            let names = ["publish_from": "publishFrom", "publish_until": "publishUntil", "goal_event": "goalEvent"]
            var items: [ContentItem] = [], rejected: [(Int, String)] = []
            for record in records.dropFirst() {
                var json: [String: JSONValue] = [:]
                for (i, column) in header.enumerated() where i < record.fields.count {
                    let value = record.fields[i].trimmingCharacters(in: .whitespaces)
                    guard !value.isEmpty else { continue }
                    let key = names[column] ?? column
                    switch key {
                    case "stages", "personas", "channels": json[key] = .array(value.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) })
                    case "priority": json[key] = Int64(value).map { .int($0) } ?? .string(value)
                    default: json[key] = .string(value)
                    }
                }
                do { items.append(try ContentItem.parse(.object(json))) } catch let error as CicloError { rejected.append((record.line, error.message)) }
            }
            let rejectsPath = rejects ?? file + ".rejects.csv"
            if !rejected.isEmpty {
                try ("line,reason\n" + rejected.map { "\($0.0),\"\($0.1.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: "\n") + "\n")
                    .write(toFile: rejectsPath, atomically: true, encoding: .utf8)
            }
            try await withWorkspace(db, workspace) { store, id in for item in items { try await store.saveContentItem(workspaceId: id, item) } }
            say("Imported \(items.count) content items" + (rejected.isEmpty ? "." : "; \(rejected.count) rows rejected (see \(rejectsPath))."))
        }
    }
}
