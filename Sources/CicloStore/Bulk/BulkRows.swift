import CicloCore
import Foundation
import PostgresNIO
import SQLiteNIO

/// A value in a bulk statement, typed so PostgreSQL can receive each column as one array.
public enum BulkValue: Sendable {
    case int(Int64?)
    case double(Double?)
    case text(String?)
    case json(String)
    case bool(Bool?)
}

/// The SQL type of a bulk column.
public enum BulkType: Sendable {
    case bigint, double, text, json, bool

    var postgresArray: String {
        switch self {
        case .bigint: "bigint[]"
        case .double: "double precision[]"
        case .text, .json: "text[]"
        case .bool: "boolean[]"
        }
    }
}

/// Many rows written by one statement: multi-row `VALUES` on SQLite, `unnest` of one array per column on PostgreSQL,
/// so bulk writes cost one round trip and no per-value encoding through SQLKit.
public struct BulkRows: Sendable {
    /// The target table.
    public var table: String
    /// Column names and types, in row order.
    public var columns: [(name: String, type: BulkType)]
    /// The rows.
    public var rows: [[BulkValue]]
    /// Text after the insert, such as `ON CONFLICT (id) DO UPDATE SET ...` or `ON CONFLICT DO NOTHING`.
    public var suffix: String

    /// Creates a bulk insert.
    public init(table: String, columns: [(String, BulkType)], rows: [[BulkValue]], suffix: String = "") {
        self.table = table
        self.columns = columns.map { (name: $0.0, type: $0.1) }
        self.rows = rows
        self.suffix = suffix
    }

    /// Runs the insert inside `session`'s transaction.
    public func insert(in session: DatabaseSession) async throws {
        guard !rows.isEmpty else { return }
        let names = columns.map(\.name).joined(separator: ", ")
        switch session.native {
        case .sqlite(let connection):
            let perRow = max(1, 30_000 / columns.count)
            for start in stride(from: 0, to: rows.count, by: perRow) {
                let chunk = rows[start..<min(start + perRow, rows.count)]
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * columns.count)
                for row in chunk { for value in row { binds.append(value.sqlite) } }
                let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
                let sql = "INSERT INTO \(table) (\(names)) VALUES "
                    + Array(repeating: placeholders, count: chunk.count).joined(separator: ",") + " " + suffix
                _ = try await connection.query(sql, binds)
            }
        case .postgres(let connection):
            var bindings = PostgresBindings(capacity: columns.count)
            for (index, column) in columns.enumerated() {
                Self.appendColumn(rows.map { $0[index] }, type: column.type, to: &bindings)
            }
            let params = columns.enumerated().map { "$\($0.offset + 1)::\($0.element.type.postgresArray)" }.joined(separator: ", ")
            let aliases = columns.indices.map { "c\($0)" }
            let select = columns.enumerated().map { $0.element.type == .json ? "c\($0.offset)::jsonb" : "c\($0.offset)" }
                .joined(separator: ", ")
            let sql = "INSERT INTO \(table) (\(names)) SELECT \(select) FROM unnest(\(params)) AS t(\(aliases.joined(separator: ", "))) \(suffix)"
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: connection.logger)
        }
    }

    static func appendColumn(_ values: [BulkValue], type: BulkType, to bindings: inout PostgresBindings) {
        switch type {
        case .bigint: bindings.append(PostgresOptionalArray(values.map { if case .int(let v) = $0 { v } else { nil } }))
        case .double: bindings.append(PostgresOptionalArray(values.map { if case .double(let v) = $0 { v } else { nil } }))
        case .bool: bindings.append(PostgresOptionalArray(values.map { if case .bool(let v) = $0 { v } else { nil } }))
        case .text, .json:
            bindings.append(PostgresOptionalArray(values.map { value -> String? in
                switch value {
                case .text(let v): v
                case .json(let v): v
                default: nil
                }
            }))
        }
    }
}

extension BulkValue {
    var sqlite: SQLiteData {
        switch self {
        case .int(let v): v.map { .integer(Int($0)) } ?? .null
        case .double(let v): v.map { .float($0) } ?? .null
        case .text(let v): v.map { .text($0) } ?? .null
        case .json(let v): .text(v)
        case .bool(let v): v.map { .integer($0 ? 1 : 0) } ?? .null
        }
    }
}
