import CicloCore
import Foundation
import SQLKit

/// Product interactions as read from the event log.
public struct ProductHistory: Sendable {
    public var interactions: [ProductInteraction] = []
    /// Each order's distinct products, for bought-together rules.
    public var baskets: [Set<String>] = []
    /// Products as events describe them: each field (name, category, price) from the newest event that has it.
    public var seen: [String: CatalogueProduct] = [:]
    /// Events whose stored properties did not parse; they are left out and counted, never silently dropped.
    public var unreadable = 0
    /// Where each `seen` field came from, so the newest wins whatever order the pages arrive in.
    var describedAt: [String: FieldPositions] = [:]

    struct FieldPositions: Sendable { var name, category, price: ProductEventPosition? }

    mutating func describe(_ properties: JSONValue, _ id: String, at position: ProductEventPosition) {
        var product = seen[id] ?? CatalogueProduct(id: id)
        var at = describedAt[id] ?? FieldPositions()
        func take<T>(_ value: T?, _ field: inout T?, _ from: inout ProductEventPosition?) {
            guard let value, from.map({ $0 < position }) ?? true else { return }
            (field, from) = (value, position)
        }
        take(properties["name"]?.stringValue, &product.name, &at.name)
        take(properties["category"]?.stringValue, &product.category, &at.category)
        take(properties["price"]?.doubleValue, &product.price, &at.price)
        (seen[id], describedAt[id]) = (product, at)
    }
}

/// Where an event sits in the (time, id) order the interaction pages follow.
struct ProductEventPosition: Comparable, Sendable {
    var time: Int64
    var id: Int64
    static func < (a: Self, b: Self) -> Bool { (a.time, a.id) < (b.time, b.id) }
}

extension Store {
    static let interactionEvents = ["Product Viewed", "Product Added", "Order Completed"]

    /// Views, adds and purchases since `since` (ms), newest first: the workspace's kind by kind, or with `profileId` one
    /// person's all together. `limit` keeps at most that many events of each kind (of the person's, in all), the newest.
    ///
    /// Each page continues along the index, (name, time) or (person, time), from the last (time, id) read, so the read
    /// is linear in what it returns. Paging by id over that index re-read every later row on every page: quadratic,
    /// 127 s at 100,000 visitors.
    public func productHistory(workspaceId: Int64, since: Int64, profileId: Int64? = nil, limit: Int? = nil,
                               page: Int = 20_000) async throws -> ProductHistory {
        var history = ProductHistory()
        let pageSize = max(1, page)
        // Over the (name, time) index one name at a time keeps the index order; a person's index has every name in order.
        let groups = profileId == nil ? Self.interactionEvents.map { [$0] } : [Self.interactionEvents]
        for events in groups {
            var after: ProductEventPosition?
            var read = 0
            while true {
                let rows = try await interactionPage(workspaceId: workspaceId, events: events, since: since, profileId: profileId,
                                                     before: after, limit: min(pageSize, limit.map { max(0, $0 - read) } ?? pageSize))
                for row in rows { Self.add(row, to: &history) }
                read += rows.count
                guard rows.count == pageSize, let last = rows.last, limit.map({ read < $0 }) ?? true else { break }
                after = last.position
            }
        }
        return history
    }

    struct InteractionRow { var position: ProductEventPosition; var event: String; var profile: Int64; var properties: String }

    func interactionPage(workspaceId: Int64, events: [String], since: Int64, profileId: Int64?, before: ProductEventPosition?,
                         limit: Int) async throws -> [InteractionRow] {
        guard limit > 0 else { return [] }
        return try await database.read { session in
            var query: SQLQueryString = """
                SELECT id, event, profile_id, timestamp, \(unsafeRaw: session.dialect.jsonText("properties")) AS p
                FROM \(unsafeRaw: session.dialect.events(profileId == nil ? .byName : .byProfile)) WHERE workspace_id = \(bind: workspaceId)
                AND event IN (\(binds: events)) AND timestamp >= \(bind: since) AND profile_id IS NOT NULL
                """
            if let profileId { query += " AND profile_id = \(bind: profileId)" }
            if let before {
                query += " AND timestamp <= \(bind: before.time) AND (timestamp < \(bind: before.time) OR id < \(bind: before.id))"
            }
            query += " ORDER BY timestamp DESC, id DESC LIMIT \(bind: limit)"
            return try await session.sql.raw(query).all().map {
                InteractionRow(position: ProductEventPosition(time: try $0.decode(column: "timestamp", as: Int64.self),
                                                              id: try $0.decode(column: "id", as: Int64.self)),
                               event: try $0.decode(column: "event", as: String.self),
                               profile: try $0.decode(column: "profile_id", as: Int64.self),
                               properties: try $0.decode(column: "p", as: String.self))
            }
        }
    }

    static func add(_ row: InteractionRow, to history: inout ProductHistory) {
        let properties: JSONValue
        do { properties = try JSONParser.parse(Array(row.properties.utf8)) } catch {
            history.unreadable += 1
            return
        }
        let person = String(row.profile), time = row.position.time
        if row.event == "Order Completed" {
            var basket = Set<String>()
            for line in properties["products"]?.arrayValue ?? [] {
                guard let id = (line["product_id"] ?? line["sku"])?.scalarText, !id.isEmpty else { continue }
                basket.insert(id)
                history.interactions.append(ProductInteraction(person: person, product: id, kind: .purchase, time: time))
                history.describe(line, id, at: row.position)
            }
            if !basket.isEmpty { history.baskets.append(basket) }
        } else if let id = (properties["product_id"] ?? properties["sku"])?.scalarText, !id.isEmpty {
            let kind: ProductInteraction.Kind = row.event == "Product Added" ? .add : .view
            history.interactions.append(ProductInteraction(person: person, product: id, kind: kind, time: time))
            history.describe(properties, id, at: row.position)
        }
    }
}
