import CicloCore
import CicloStore
import Foundation
import Logging
import PostgresKit

/// Fresh, throwaway databases for tests: a temporary SQLite file, or a new database on the test PostgreSQL server.
public enum TestDatabase {
    /// The engines every store test runs on.
    public static let engines: [Dialect] = [.sqlite, .postgres]

    /// The PostgreSQL server URL the test script exports, or nil when it is not set.
    public static var postgresServerURL: String? {
        ProcessInfo.processInfo.environment["CICLO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when running in CI, where a missing PostgreSQL must fail the suite rather than skip it.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A database URL for a new empty database on `dialect`, or nil when PostgreSQL is not configured locally.
    public static func freshURL(_ dialect: Dialect) async throws -> DatabaseURL? {
        switch dialect {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ciclo-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return .sqlite(path: dir.appendingPathComponent("ciclo.db").path)
        case .postgres:
            guard let server = postgresServerURL else {
                if isCI {
                    throw CicloError(.unavailable, code: "no_test_postgres",
                        "CICLO_TEST_POSTGRES_URL is not set in CI: the PostgreSQL half of the store suite cannot run.")
                }
                FileHandle.standardError.write(Data("warning: CICLO_TEST_POSTGRES_URL not set; skipping the PostgreSQL variant\n".utf8))
                return nil
            }
            let admin = try DatabaseURL(parsing: server)
            guard case .postgres(var location) = admin else { return nil }
            let name = "ciclo_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let database = try await Database.open(admin, logger: quietLogger)
            do {
                try await database.createSiblingDatabase(named: name)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            location.database = name
            return .postgres(location)
        }
    }

    /// Runs `body` with a freshly migrated store on `dialect`; does nothing for PostgreSQL when it is not configured locally.
    public static func withStore(
        _ dialect: Dialect, clock: any CicloClock = SystemClock(), _ body: (Store) async throws -> Void
    ) async throws {
        guard let url = try await freshURL(dialect) else { return }
        let store = try await Store.open(url, clock: clock, logger: quietLogger)
        do {
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// A logger that stays silent unless something is badly wrong.
    public static var quietLogger: Logger {
        var logger = Logger(label: "ciclo.test")
        logger.logLevel = .critical
        return logger
    }
}
