import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

extension ImportCommand {
    /// `ciclo import content FILE.csv`: content items, one per row; lists (stages, personas, channels) separated by `;`.
    struct ContentImport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "content",
            abstract: "Import content items (key, title, format, url, body, stages, personas, channels, topic, status, publish_from, publish_until, goal_event, priority, owner).")
        @OptionGroup var options: CatalogueCSVImport

        func run() async throws {
            let (header, records) = try options.read()
            let names = ["publish_from": "publishFrom", "publish_until": "publishUntil", "goal_event": "goalEvent"]
            var items: [(line: Int, item: ContentItem)] = [], rejected: [(line: Int, reason: String)] = []
            var saved = 0
            for record in records {
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
                do { items.append((record.line, try ContentItem.parse(.object(json)))) } catch let error as CicloError { rejected.append((record.line, error.message)) }
            }
            try await withWorkspace(options.db, options.workspace) { store, id in
                let advisor = ContentAdvisor(store: store)
                for (line, item) in items {
                    do {
                        try await advisor.save(workspaceId: id, item)
                        saved += 1
                    } catch let error as CicloError where error.kind == .badRequest {
                        rejected.append((line, error.message))
                    }
                }
            }
            say(try options.report(imported: saved, what: "content items", rejected: rejected.sorted { $0.line < $1.line }))
        }
    }
}
