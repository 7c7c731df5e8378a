import CicloCore
import CicloStore
import CicloTesting
import Foundation
import SQLKit
import Testing

/// A transaction whose task is cancelled (a graceful stop, a client that hung up) rolls back, and the writer takes
/// the next one: a ROLLBACK skipped because the caller was cancelled left SQLite inside the transaction for good.
@Suite("Cancelled writes")
struct CancelledWriteTests {
    @Test("a cancelled transaction leaves nothing behind and the next write succeeds", arguments: TestDatabase.engines)
    func cancelledWriteRollsBack(engine: Dialect) async throws {
        guard let url = try await TestDatabase.freshURL(engine) else { return }
        let store = try await Store.open(url, logger: TestDatabase.quietLogger)
        defer { Task { await store.close() } }
        let started = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            try await store.database.write { session in
                try await session.sql.raw("CREATE TABLE cancelled_probe (x INTEGER)").run()
                started.continuation.yield()
                try await Task.sleep(for: .seconds(30))
            }
        }
        for await _ in started.stream { break }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // The table the cancelled transaction made is gone, and the writer works.
        try await store.database.write { session in
            try await session.sql.raw("CREATE TABLE cancelled_probe (x INTEGER)").run()
            try await session.sql.raw("INSERT INTO cancelled_probe (x) VALUES (\(bind: 1))").run()
        }
        let count = try await store.database.read { session in
            try await session.sql.raw("SELECT COUNT(*) AS n FROM cancelled_probe").first()?.decode(column: "n", as: Int.self)
        }
        #expect(count == 1)
    }
}
