import CicloCore
import CicloStore
import CicloTesting
import Foundation
import SQLKit
import Testing

/// SQLite keeps each dedup key once, in the primary key's B-tree (migration 14), and a database migrated from the
/// old layout keeps every key it had: a message seen before the upgrade is still dropped after it.
@Suite("Message id storage")
struct MessageIdStorageTests {
    @Test("an upgraded SQLite database keeps its dedup keys in a WITHOUT ROWID table and still drops repeats")
    func upgradeKeepsKeys() async throws {
        guard let url = try await TestDatabase.freshURL(.sqlite) else { return }
        let database = try await Database.open(url, logger: TestDatabase.quietLogger)
        try await Migrator(database, migrations: Migration.all.filter { $0.version < 14 }).migrate()
        try await database.write { session in
            for i in 0..<300 {
                try await session.sql.raw("""
                    INSERT INTO event_message_ids (workspace_id, message_id, received_at) VALUES (1, \(bind: "before-\(i)"), 1000)
                    """).run()
            }
        }
        await database.close()

        let store = try await Store.open(url, logger: TestDatabase.quietLogger)
        defer { Task { await store.close() } }
        let layout = try await store.database.read { session in
            try await session.sql.raw("SELECT sql FROM sqlite_master WHERE name = 'event_message_ids'").first()?
                .decode(column: "sql", as: String.self)
        }
        let autoindexes = try await store.database.read { session in
            try await session.sql.raw("""
                SELECT COUNT(*) AS n FROM sqlite_master WHERE tbl_name = 'event_message_ids' AND name LIKE 'sqlite_autoindex%'
                """).first()?.decode(column: "n", as: Int.self)
        }
        #expect(layout?.uppercased().contains("WITHOUT ROWID") == true)
        #expect(autoindexes == 0, "the key is the table; no second copy in an index")

        let stored = try await store.appendEvents([EventLogTests.event(1, "before-7"), EventLogTests.event(1, "after-1"),
                                                   EventLogTests.event(1, "before-299"), EventLogTests.event(2, "before-7")])
        #expect(stored[0] == nil && stored[2] == nil, "keys from before the upgrade still drop their repeats")
        #expect(stored[1] != nil && stored[3] != nil)
        let keys = try await store.database.read { session in
            try await session.sql.raw("SELECT COUNT(*) AS n FROM event_message_ids").first()?.decode(column: "n", as: Int.self)
        }
        #expect(keys == 302)
        #expect(try await store.pruneMessageIds(olderThanDays: 1) == 300, "pruning by age still finds the old keys by its index")
    }
}
