import ArgumentParser
import CicloCore
import CicloStore
import Foundation

extension ImportCommand {
    /// `ciclo import products FILE.csv`: the product catalogue with stock and visibility; bad rows go to a rejects file.
    struct ProductsImport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "products",
                                                        abstract: "Import the product catalogue (product_id, name, category, price, in_stock, hidden, expires_at).")
        @OptionGroup var options: CatalogueCSVImport

        func run() async throws {
            let (header, records) = try options.read()
            let (products, rejected) = ProductCSV.parse(header: header, records: records)
            try await withWorkspace(options.db, options.workspace) { store, id in try await store.upsertProducts(workspaceId: id, products) }
            say(try options.report(imported: products.count, what: "products", rejected: rejected.map { ($0.line, $0.reason) }))
        }
    }
}
