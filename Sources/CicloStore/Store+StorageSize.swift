import CicloCore
import Foundation
import SQLKit

extension Store {
    /// The bytes the database occupies: SQLite's pages in use (after a checkpoint, the file without its WAL), or
    /// PostgreSQL's `pg_database_size` of the current database. Benchmarks divide it by the events stored.
    public func storageBytes() async throws -> Int64 {
        try await database.read { session in
            let sql: SQLQueryString = session.dialect == .sqlite
                ? "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()"
                : "SELECT pg_database_size(current_database()) AS bytes"
            guard let row = try await session.sql.raw(sql).first() else {
                throw CicloError(.internalError, code: "storage_size", "The database did not report its size.")
            }
            return try row.decode(column: "bytes", as: Int64.self)
        }
    }
}
