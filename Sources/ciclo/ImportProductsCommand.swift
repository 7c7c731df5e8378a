import ArgumentParser
import CicloCore
import CicloStore
import Foundation

extension ImportCommand {
    /// `ciclo import products FILE.csv`: the product catalogue with stock and visibility; bad rows go to a rejects file.
    struct ProductsImport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "products",
                                                        abstract: "Import the product catalogue (product_id, name, category, price, in_stock, hidden, expires_at).")
        @OptionGroup var db: DatabaseOption
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Workspace to import into.") var workspace = "default"
        @Option(help: "Where rejected rows go (default FILE.rejects.csv).") var rejects: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CicloError.badRequest("file_not_found", "Cannot read \(file).") }
            var reader = CSVReader()
            let records = reader.feed(data) + reader.finish()
            guard let header = records.first?.fields else { throw CicloError.badRequest("empty_file", "\(file) is empty.") }
            let (products, rejected) = ProductCSV.parse(header: header, records: Array(records.dropFirst()))
            let rejectsPath = rejects ?? file + ".rejects.csv"
            if !rejected.isEmpty {
                let text = "line,reason\n" + rejected.map { "\($0.line),\"\($0.reason.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: "\n") + "\n"
                try text.write(toFile: rejectsPath, atomically: true, encoding: .utf8)
            }
            try await withWorkspace(db, workspace) { store, id in try await store.upsertProducts(workspaceId: id, products) }
            say("Imported \(products.count) products" + (rejected.isEmpty ? "." : "; \(rejected.count) rows rejected (see \(rejectsPath))."))
        }
    }
}
