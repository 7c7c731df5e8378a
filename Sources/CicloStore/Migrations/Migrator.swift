import CicloCore
import Foundation
import SQLKit

/// Brings a database's schema up to this build's version, each migration once and in its own transaction.
public struct Migrator: Sendable {
    let database: Database
    let migrations: [Migration]

    /// Creates a migrator for `database` with this build's migrations.
    public init(_ database: Database, migrations: [Migration] = Migration.all) {
        self.database = database
        self.migrations = migrations
    }

    /// The version the database is at (0 when it was never migrated).
    public func currentVersion() async throws -> Int {
        try await database.write { session in
            try await Self.ensureVersionTable(session)
            return try await Self.version(session)
        }
    }

    /// Applies every pending migration and returns the versions applied; refuses a database from a newer Ciclo.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let known = migrations.last?.version ?? 0
        var applied: [Int] = []
        for migration in migrations {
            let ran = try await database.write { session -> Bool in
                if session.dialect == .postgres {
                    // Several processes may start at once; one migrates, the others wait and then see it done.
                    try await session.sql.raw("SELECT pg_advisory_xact_lock(\(literal: 7_261_001))").run()
                }
                try await Self.ensureVersionTable(session)
                let current = try await Self.version(session)
                if current > known {
                    throw CicloError(.unavailable, code: "schema_too_new",
                        "This database was written by a newer Ciclo (schema version \(current); this Ciclo knows up to \(known)). Upgrade Ciclo to use it.")
                }
                guard current < migration.version else { return false }
                for statement in migration.statements(session.dialect) {
                    try await session.sql.raw(SQLQueryString(statement)).run()
                }
                try await session.sql.raw("""
                    INSERT INTO ciclo_schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Date().epochMilliseconds))
                    """).run()
                return true
            }
            if ran { applied.append(migration.version) }
        }
        if migrations.isEmpty {
            let current = try await currentVersion()
            if current > known {
                throw CicloError(.unavailable, code: "schema_too_new",
                    "This database was written by a newer Ciclo (schema version \(current)). Upgrade Ciclo to use it.")
            }
        }
        return applied
    }

    static func ensureVersionTable(_ session: DatabaseSession) async throws {
        try await session.sql.raw("""
            CREATE TABLE IF NOT EXISTS ciclo_schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """).run()
    }

    static func version(_ session: DatabaseSession) async throws -> Int {
        let row = try await session.sql.raw("SELECT MAX(version) AS v FROM ciclo_schema_migrations").first()
        return try row?.decode(column: "v", as: Int?.self) ?? 0
    }
}
