import CicloCore
import Foundation
import SQLKit

/// A stored segment.
public struct SegmentRecord: Sendable {
    public var id: Int64
    public var definition: SegmentDefinition
    public var memberCount: Int
    public var computedAt: Int64?
    public var createdAt: Int64
    public var updatedAt: Int64

    static func select(_ dialect: Dialect) -> String {
        "id, key, name, description, \(dialect.jsonText("condition")) AS condition, ready_made, member_count, computed_at, created_at, updated_at"
    }

    static func decode(_ row: any SQLRow) throws -> SegmentRecord {
        let text = try row.decode(column: "condition", as: String.self)
        return SegmentRecord(
            id: try row.decode(column: "id", as: Int64.self),
            definition: SegmentDefinition(
                key: try row.decode(column: "key", as: String.self), name: try row.decode(column: "name", as: String.self),
                description: try row.decode(column: "description", as: String.self),
                condition: (try? Condition.parse(text)) ?? .not(.always),
                readyMade: try row.decode(column: "ready_made", as: Bool.self)),
            memberCount: try row.decode(column: "member_count", as: Int.self),
            computedAt: try row.decode(column: "computed_at", as: Int64?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }
}
