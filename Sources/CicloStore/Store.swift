import CicloCore
import Foundation
import Logging

/// All of Ciclo's persistence, on SQLite or PostgreSQL; methods are named for what they mean, not for the SQL they run.
public struct Store: Sendable {
    /// The database behind the store.
    public let database: Database
    /// The clock every stored time comes from.
    public let clock: any CicloClock

    /// Creates a store over an open database.
    public init(database: Database, clock: any CicloClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// Opens the database at `url` and migrates it to this build's schema.
    public static func open(_ url: DatabaseURL, clock: any CicloClock = SystemClock(), migrate: Bool = true,
                            logger: Logger = Logger(label: "ciclo.store")) async throws -> Store {
        let database = try await Database.open(url, logger: logger)
        do {
            if migrate { try await Migrator(database).migrate() }
        } catch {
            await database.close()
            throw error
        }
        return Store(database: database, clock: clock)
    }

    /// The engine in use.
    public var dialect: Dialect { database.dialect }

    /// Closes the database.
    public func close() async { await database.close() }

    /// True when the database answers and its schema is this build's.
    public func isReady() async -> Bool {
        do {
            let version = try await database.read { session in
                try await Migrator.version(session)
            }
            return version == Migration.latestVersion
        } catch {
            return false
        }
    }

    var now: Int64 { clock.now().epochMilliseconds }
}
