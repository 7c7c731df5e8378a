import CicloCore
import CicloStore
import CicloTesting
import Foundation
import SQLKit
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("migrating twice changes nothing and ends at the latest version", arguments: TestDatabase.engines)
    func migrateTwice(engine: Dialect) async throws {
        guard let url = try await TestDatabase.freshURL(engine) else { return }
        let database = try await Database.open(url, logger: TestDatabase.quietLogger)
        defer { Task { await database.close() } }
        let migrator = Migrator(database)

        let first = try await migrator.migrate()
        let second = try await migrator.migrate()

        #expect(first == Migration.all.map(\.version))
        #expect(second.isEmpty)
        #expect(try await migrator.currentVersion() == Migration.latestVersion)
    }

    @Test("a database from a newer Ciclo is refused with a clear message", arguments: TestDatabase.engines)
    func newerSchemaRefused(engine: Dialect) async throws {
        guard let url = try await TestDatabase.freshURL(engine) else { return }
        let database = try await Database.open(url, logger: TestDatabase.quietLogger)
        defer { Task { await database.close() } }
        try await Migrator(database).migrate()
        try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO ciclo_schema_migrations (version, name, applied_at) VALUES (9999, 'from the future', 0)
                """).run()
        }

        await #expect {
            try await Migrator(database).migrate()
        } throws: { error in
            (error as? CicloError)?.code == "schema_too_new"
                && (error as? CicloError)?.message.contains("newer Ciclo") == true
        }
    }

    @Test("a failing migration leaves nothing behind", arguments: TestDatabase.engines)
    func failingMigrationRollsBack(engine: Dialect) async throws {
        guard let url = try await TestDatabase.freshURL(engine) else { return }
        let database = try await Database.open(url, logger: TestDatabase.quietLogger)
        defer { Task { await database.close() } }
        let broken = Migration(version: Migration.latestVersion + 1, name: "broken") { _ in
            ["CREATE TABLE half_done (id INTEGER)", "THIS IS NOT SQL"]
        }

        await #expect(throws: (any Error).self) {
            try await Migrator(database, migrations: Migration.all + [broken]).migrate()
        }

        #expect(try await Migrator(database).currentVersion() == Migration.latestVersion)
        await #expect(throws: (any Error).self, "the half-made table was rolled back") {
            try await database.read { session in
                try await session.sql.raw("SELECT COUNT(*) AS n FROM half_done").run()
            }
        }
    }
}
