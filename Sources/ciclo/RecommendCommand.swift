import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo recommend train|evaluate|rules`: train the models, measure them offline, mine association rules from a file.
struct RecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend", abstract: "Product recommendations: train, evaluate, mine rules.", subcommands: [Train.self, Evaluate.self, Rules.self])

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Retrain popularity, trending, similar items and bought-together from the event log.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        func run() async throws {
            try await withWorkspace(db, workspace) { store, id in try printJSON(try await RecommendationTrainer(store: store).train(workspaceId: id)) }
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hold out each person's latest interactions and score the strategies on them.")
        @Option(help: "A CSV of interactions (omit to use the workspace's events).") var interactions: String?
        @Option(help: "The person column.") var user = "user_id"
        @Option(help: "The product column.") var item = "item_id"
        @Option(help: "The time column (ISO 8601 or Unix seconds).") var time = "timestamp"
        @Option(name: .customLong("test-share"), help: "Share of each person's interactions held out.") var testShare = 0.2
        @Option(help: "List length.") var k = 10
        @Option(help: "Comma-separated strategies.") var strategies = RecommendationEvaluation.strategies.joined(separator: ",")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace (when reading events).") var workspace = "default"

        func run() async throws {
            let chosen = strategies.split(separator: ",").map(String.init)
            guard chosen.allSatisfy(RecommendationEvaluation.strategies.contains) else {
                throw CicloError.badRequest("invalid_strategy", "Strategies are " + RecommendationEvaluation.strategies.joined(separator: ", ") + ".")
            }
            guard k > 0, k <= 100, testShare > 0, testShare < 1 else { throw CicloError.badRequest("invalid_option", "k is 1 to 100 and --test-share between 0 and 1.") }
            var log: [ProductInteraction] = []
            if let interactions { log = try readCSV(interactions) } else {
                try await withWorkspace(db, workspace) { store, id in log = try await store.productHistory(workspaceId: id, since: 0).interactions }
            }
            let results = RecommendationEvaluation.run(log, testShare: testShare, k: k, strategies: chosen)
            if json { try printJSON(results); return }
            say("\(log.count) interactions, k = \(k), held out \(Int(testShare * 100))% per person")
            say("strategy        precision  recall     NDCG       MAP        hit rate   coverage   novelty")
            for r in results {
                say(r.strategy.padding(toLength: 16, withPad: " ", startingAt: 0) + [r.metrics.precision, r.metrics.recall, r.metrics.ndcg, r.metrics.map,
                    r.metrics.hitRate, r.coverage, r.novelty].map { String(format: "%-10.5f ", $0) }.joined())
            }
        }

        func readCSV(_ path: String) throws -> [ProductInteraction] {
            guard let text = FileManager.default.contents(atPath: path) else { throw CicloError.badRequest("file_not_found", "Cannot read \(path).") }
            var reader = CSVReader()
            let records = reader.feed(text) + reader.finish()
            guard let header = records.first?.fields else { throw CicloError.badRequest("empty_file", "\(path) is empty.") }
            guard let u = header.firstIndex(of: user), let i = header.firstIndex(of: item), let t = header.firstIndex(of: time) else {
                throw CicloError.badRequest("missing_column", "\(path) needs the columns \(user), \(item) and \(time).")
            }
            return records.dropFirst().compactMap { r in
                guard r.fields.count > max(u, i, t) else { return nil }
                let raw = r.fields[t]
                let ms = Double(raw).map { Int64(saturating: $0 * 1_000) } ?? ISO8601.parse(raw)?.epochMilliseconds
                guard let ms else { return nil }
                return ProductInteraction(person: r.fields[u], product: r.fields[i], kind: .view, time: ms)
            }
        }
    }

    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mine association rules from a CSV of order lines (one basket per order id), or from the workspace's orders.")
        @Argument(help: "The CSV file (omit to read the workspace's Order Completed events).") var file: String?
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace (when reading events).") var workspace = "default"
        @Option(help: "The basket (order id) column.") var basket = "order_id"
        @Option(help: "The item column.") var item = "product_id"
        @Option(name: .customLong("min-support"), help: "Minimum support of an itemset.") var minSupport = 0.01
        @Option(name: .customLong("max-length"), help: "Largest itemset.") var maxLength = 2
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard minSupport > 0, minSupport <= 1 else { throw CicloError.badRequest("invalid_option", "--min-support is above 0 and at most 1.") }
            var baskets: [Set<String>] = []
            if let file {
                guard let text = FileManager.default.contents(atPath: file) else { throw CicloError.badRequest("file_not_found", "Cannot read \(file).") }
                var reader = CSVReader()
                let records = reader.feed(text) + reader.finish()
                guard let header = records.first?.fields, let b = header.firstIndex(of: basket), let i = header.firstIndex(of: item) else {
                    throw CicloError.badRequest("missing_column", "\(file) needs the columns \(basket) and \(item).")
                }
                var byOrder: [String: Set<String>] = [:]
                for r in records.dropFirst() where r.fields.count > max(b, i) { byOrder[r.fields[b], default: []].insert(r.fields[i]) }
                baskets = Array(byOrder.values)
            } else {
                try await withWorkspace(db, workspace) { store, id in baskets = try await store.productHistory(workspaceId: id, since: 0).baskets }
            }
            let mined = AssociationRules(baskets: baskets, minSupport: minSupport, maxLength: maxLength)
            if json {
                say(JSONValue.object(["baskets": .int(Int64(mined.baskets)),
                                      "itemsets": .array(mined.itemsets.map { ["items": .array($0.items.map { .string($0) }), "support": .double($0.support)] }),
                                      "rules": .array(mined.rules.map(\.json))]).jsonText)
                return
            }
            say("\(mined.baskets) baskets, \(mined.itemsets.count) frequent itemsets, \(mined.rules.count) rules")
            for r in mined.rules.sorted(by: { $0.lift > $1.lift }).prefix(20) {
                say(String(format: "  %@ → %@  support %.5f confidence %.5f lift %.5f", r.antecedent.joined(separator: "+"), r.consequent.joined(separator: "+"),
                           r.support, r.confidence, r.lift))
            }
        }
    }
}
