import CicloCore
import Foundation
import SQLKit

/// Product interactions as read from the event log.
public struct ProductHistory: Sendable {
    public var interactions: [ProductInteraction] = []
    /// Each order's distinct products, for bought-together rules.
    public var baskets: [Set<String>] = []
    /// Products as events describe them (name, category, price).
    public var seen: [String: CatalogueProduct] = [:]
}

extension Store {
    static let interactionEvents = ["Product Viewed", "Product Added", "Order Completed"]

    /// Views, adds and purchases since `since` (ms), read in id order a page at a time; `profileId` narrows to one person.
    public func productHistory(workspaceId: Int64, since: Int64, profileId: Int64? = nil, limit: Int? = nil) async throws -> ProductHistory {
        var history = ProductHistory()
        var afterId: Int64 = 0
        let page = 20_000
        while true {
            let cursor = afterId
            let rows = try await database.read { session -> [(Int64, Int64, String, Int64, String)] in
                var query: SQLQueryString = """
                    SELECT id, profile_id, event, timestamp, \(unsafeRaw: session.dialect.jsonText("properties")) AS p
                    FROM \(unsafeRaw: session.dialect.events(profileId == nil ? .byName : .byProfile)) WHERE workspace_id = \(bind: workspaceId)
                    AND event IN (\(binds: Self.interactionEvents)) AND timestamp >= \(bind: since) AND profile_id IS NOT NULL AND id > \(bind: cursor)
                    """
                if let profileId { query += " AND profile_id = \(bind: profileId)" }
                query += " ORDER BY id LIMIT \(bind: page)"
                return try await session.sql.raw(query).all().map {
                    (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "profile_id", as: Int64.self), try $0.decode(column: "event", as: String.self),
                     try $0.decode(column: "timestamp", as: Int64.self), try $0.decode(column: "p", as: String.self))
                }
            }
            for (_, profile, event, time, text) in rows {
                guard let properties = try? JSONParser.parse(Array(text.utf8)) else { continue }
                let person = String(profile)
                if event == "Order Completed" {
                    var basket = Set<String>()
                    for line in properties["products"]?.arrayValue ?? [] {
                        guard let id = (line["product_id"] ?? line["sku"])?.scalarText, !id.isEmpty else { continue }
                        basket.insert(id)
                        history.interactions.append(ProductInteraction(person: person, product: id, kind: .purchase, time: time))
                        Self.note(line, id, &history.seen)
                    }
                    if !basket.isEmpty { history.baskets.append(basket) }
                } else if let id = (properties["product_id"] ?? properties["sku"])?.scalarText, !id.isEmpty {
                    history.interactions.append(ProductInteraction(person: person, product: id, kind: event == "Product Added" ? .add : .view, time: time))
                    Self.note(properties, id, &history.seen)
                }
            }
            guard rows.count == page, let last = rows.last?.0 else { break }
            if let limit, history.interactions.count >= limit { break }
            afterId = last
        }
        return history
    }

    static func note(_ properties: JSONValue, _ id: String, _ seen: inout [String: CatalogueProduct]) {
        guard seen[id] == nil else { return }
        seen[id] = CatalogueProduct(id: id, name: properties["name"]?.stringValue, category: properties["category"]?.stringValue,
                                    price: properties["price"]?.doubleValue)
    }
}
