import Foundation

/// Reads catalogue rows from CSV: `product_id` (or `id`), `name`, `category`, `price`, `in_stock`, `hidden`,
/// `expires_at`; a bad row is returned with its reason instead of stopping the import.
public enum ProductCSV {
    /// One row that could not be read, with why.
    public struct Rejection: Sendable, Equatable {
        public var line: Int
        public var reason: String
    }

    public static func parse(header: [String], records: [CSVReader.Record]) -> (products: [CatalogueProduct], rejected: [Rejection]) {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ options: String...) -> Int? { options.lazy.compactMap { names.firstIndex(of: $0) }.first }
        guard let idColumn = column("product_id", "id", "sku") else {
            return ([], records.map { Rejection(line: $0.line, reason: "the header has no product_id column") })
        }
        let (name, category, price, stock, hidden, expires) = (column("name"), column("category"), column("price"), column("in_stock"),
                                                               column("hidden"), column("expires_at"))
        var products: [CatalogueProduct] = [], rejected: [Rejection] = []
        for record in records {
            func field(_ i: Int?) -> String? {
                guard let i, i < record.fields.count else { return nil }
                let v = record.fields[i].trimmingCharacters(in: .whitespaces)
                return v.isEmpty ? nil : v
            }
            guard let id = field(idColumn) else { rejected.append(Rejection(line: record.line, reason: "product_id is empty")); continue }
            var p = CatalogueProduct(id: id, name: field(name), category: field(category))
            if let text = field(price) {
                guard let value = Double(text), value.isFinite, value >= 0 else { rejected.append(Rejection(line: record.line, reason: "price \(text) is not a number")); continue }
                p.price = value
            }
            for (column, apply) in [(stock, { (b: Bool) in p.inStock = b }), (hidden, { (b: Bool) in p.hidden = b })] as [(Int?, (Bool) -> Void)] {
                guard let text = field(column) else { continue }
                switch text.lowercased() {
                case "true", "1", "yes": apply(true)
                case "false", "0", "no": apply(false)
                default: rejected.append(Rejection(line: record.line, reason: "\(text) is not true or false")); continue
                }
            }
            if rejected.last?.line == record.line { continue }
            if let text = field(expires) {
                guard let date = ISO8601.parse(text) else { rejected.append(Rejection(line: record.line, reason: "expires_at \(text) is not a date")); continue }
                p.expiresAt = date.epochMilliseconds
            }
            products.append(p)
        }
        return (products, rejected)
    }
}
