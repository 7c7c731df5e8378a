import CicloCore
import Foundation
import PostgresNIO
import SQLiteNIO

/// Many rows updated by id in one statement: `UPDATE ... FROM (VALUES ...)` on SQLite, `FROM unnest(...)` on PostgreSQL.
struct BulkUpdate {
    var table: String
    /// The key column first, then the columns to set, with types.
    var columns: [(name: String, type: BulkType)]
    var rows: [[BulkValue]]
    /// Extra conditions on the target row, such as `workspace_id = 3` (column names unqualified).
    var scope: [String] = []

    func run(in session: DatabaseSession) async throws {
        guard !rows.isEmpty, columns.count >= 2 else { return }
        let key = columns[0].name
        switch session.native {
        case .sqlite(let connection):
            let perRow = max(1, 30_000 / columns.count)
            for start in stride(from: 0, to: rows.count, by: perRow) {
                let chunk = rows[start..<min(start + perRow, rows.count)]
                let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
                let sets = columns.dropFirst().enumerated().map { "\($0.element.name) = v.column\($0.offset + 2)" }.joined(separator: ", ")
                let sql = "UPDATE \(table) SET \(sets) FROM (VALUES \(Array(repeating: placeholders, count: chunk.count).joined(separator: ","))) AS v "
                    + "WHERE \(table).\(key) = v.column1" + scope.map { " AND \(table).\($0)" }.joined()
                _ = try await connection.query(sql, chunk.flatMap { $0.map(\.sqlite) })
            }
        case .postgres(let connection):
            var bindings = PostgresBindings(capacity: columns.count)
            for (index, column) in columns.enumerated() {
                BulkRows.appendColumn(rows.map { $0[index] }, type: column.type, to: &bindings)
            }
            let params = columns.enumerated().map { "$\($0.offset + 1)::\($0.element.type.postgresArray)" }.joined(separator: ", ")
            let names = columns.map(\.name).joined(separator: ", ")
            let sets = columns.dropFirst().map { $0.type == .json ? "\($0.name) = v.\($0.name)::jsonb" : "\($0.name) = v.\($0.name)" }
                .joined(separator: ", ")
            let sql = "UPDATE \(table) AS t SET \(sets) FROM unnest(\(params)) AS v(\(names)) WHERE t.\(key) = v.\(key)"
                + scope.map { " AND t.\($0)" }.joined()
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: connection.logger)
        }
    }
}
