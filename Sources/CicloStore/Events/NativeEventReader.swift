import CicloCore
import Foundation
import PostgresNIO
import SQLKit
import SQLiteNIO

/// Reads many event rows through the driver directly: SQLKit's generic per-column decoding costs more than the
/// query itself when a batch holds thousands of events.
enum NativeEventReader {
    /// Runs a query selecting `EventRow.selectColumns` (in that order) and decodes the events.
    static func events(_ session: DatabaseSession, _ query: SQLQueryString) async throws -> [Event] {
        let (sql, binds) = session.sql.serialize(query)
        switch session.native {
        case .sqlite(let connection):
            let rows = try await connection.query(sql, try binds.map(sqliteValue))
            return rows.map { row in
                let d = row.columns.map(\.data)
                func int(_ i: Int) -> Int64? { if case .integer(let v) = d[i] { Int64(v) } else { nil } }
                func text(_ i: Int) -> String? { if case .text(let v) = d[i] { v } else { nil } }
                return make(int, text)
            }
        case .postgres(let connection):
            var bindings = PostgresBindings(capacity: binds.count)
            for bind in binds {
                switch bind {
                case let v as Int64: bindings.append(v)
                case let v as Int: bindings.append(Int64(v))
                case let v as String: bindings.append(v)
                case let v as Double: bindings.append(v)
                case let v as Bool: bindings.append(v)
                default: throw CicloError(.internalError, code: "unsupported_bind", "Cannot bind \(type(of: bind)).")
                }
            }
            var events: [Event] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: connection.logger) {
                let cells = row.makeRandomAccess()
                func int(_ i: Int) -> Int64? { try? cells[i].decode(Int64?.self) }
                func text(_ i: Int) -> String? { try? cells[i].decode(String?.self) }
                events.append(make(int, text))
            }
            return events
        }
    }

    private static func sqliteValue(_ bind: any Encodable & Sendable) throws -> SQLiteData {
        switch bind {
        case let v as Int64: .integer(Int(v))
        case let v as Int: .integer(v)
        case let v as String: .text(v)
        case let v as Double: .float(v)
        case let v as Bool: .integer(v ? 1 : 0)
        default: throw CicloError(.internalError, code: "unsupported_bind", "Cannot bind \(type(of: bind)).")
        }
    }

    /// Builds an event from columns in `EventRow.selectColumns` order.
    private static func make(_ int: (Int) -> Int64?, _ text: (Int) -> String?) -> Event {
        func json(_ i: Int) -> JSONValue { text(i).flatMap { try? JSONValue.parse($0) } ?? .object([:]) }
        return Event(
            id: int(0), workspaceId: int(1) ?? 0, sourceId: int(2), messageId: text(3) ?? "",
            type: EventType(rawValue: text(4) ?? "") ?? .track, event: text(5), name: text(6), userId: text(7),
            anonymousId: text(8), groupId: text(9), previousId: text(10), profileId: int(11),
            properties: json(12), traits: json(13), context: json(14),
            originalTimestamp: int(15).map(Date.init(epochMilliseconds:)),
            timestamp: Date(epochMilliseconds: int(16) ?? 0), sentAt: int(17).map(Date.init(epochMilliseconds:)),
            receivedAt: Date(epochMilliseconds: int(18) ?? 0))
    }
}
