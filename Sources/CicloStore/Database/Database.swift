import CicloCore
import Foundation
import Logging
import PostgresKit
import SQLKit
import SQLiteKit

/// One connection's view of the database inside a `read` or `write`: SQLKit for most SQL, the native driver for hot paths.
public struct DatabaseSession: Sendable {
    /// The connection as SQLKit sees it; most SQL is written once against this.
    public let sql: any SQLDatabase
    /// Which engine this is.
    public let dialect: Dialect
    /// The driver's own connection, for bulk statements that bypass SQLKit's per-value encoding.
    public let native: NativeConnection
}

/// The driver connection behind a session.
public enum NativeConnection: Sendable {
    case sqlite(SQLiteConnection)
    case postgres(PostgresConnection)
}

/// The store's handle on its database engine: reads from a pool, writes in transactions.
public final class Database: Sendable {
    /// The engine.
    public let dialect: Dialect
    /// Where the data lives (password hidden in `description`).
    public let url: DatabaseURL
    let logger: Logger
    private let backend: Backend
    /// The PostgreSQL event partitions this process has already made sure of.
    let eventPartitions = EventPartitions()

    private enum Backend: Sendable {
        case sqlite(SQLiteBackend)
        case postgres(PostgresBackend)
    }

    /// Opens the database at `url`, failing with a one-line `CicloError` when it cannot be reached or written.
    public static func open(_ url: DatabaseURL, logger: Logger = Logger(label: "ciclo.db")) async throws -> Database {
        switch url {
        case .sqlite(let path):
            return Database(url: url, dialect: .sqlite, logger: logger,
                backend: .sqlite(try await SQLiteBackend.open(path: path, logger: logger)))
        case .postgres(let location):
            return Database(url: url, dialect: .postgres, logger: logger,
                backend: .postgres(try await PostgresBackend.open(location, logger: logger)))
        }
    }

    private init(url: DatabaseURL, dialect: Dialect, logger: Logger, backend: Backend) {
        self.url = url
        self.dialect = dialect
        self.logger = logger
        self.backend = backend
    }

    /// Runs `body` on a connection that sees committed data.
    public func read<T: Sendable>(_ body: @Sendable (DatabaseSession) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let b): return try await b.read(body)
        case .postgres(let b): return try await b.read(body)
        }
    }

    /// Runs `body` in one transaction: all of it commits, or none of it does. On SQLite, `priority` orders the
    /// transactions waiting for the one writer; PostgreSQL runs them side by side.
    public func write<T: Sendable>(priority: WritePriority = .foreground,
                                   _ body: @Sendable (DatabaseSession) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let b): return try await b.write(priority: priority, body)
        case .postgres(let b): return try await b.write(body)
        }
    }

    /// True when someone in this process needed the SQLite writer promptly within `window`, so background batches
    /// should stay short. Always false on PostgreSQL, whose writers run side by side.
    public func foregroundWritesRecently(within window: Duration) -> Bool {
        switch backend {
        case .sqlite(let b): return b.foregroundWritesRecently(within: window)
        case .postgres: return false
        }
    }

    /// Closes every connection.
    public func close() async {
        switch backend {
        case .sqlite(let b): await b.close()
        case .postgres(let b): await b.close()
        }
    }
}

extension Database {
    /// Creates an empty database on this PostgreSQL server (for tests and benchmarks); names are `[a-z0-9_]` only.
    public func createSiblingDatabase(named name: String) async throws {
        try checkSiblingName(name, "create")
        try await read { session in
            try await session.sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
        }
    }

    /// Drops a database `createSiblingDatabase` made, closing anyone still connected to it.
    public func dropSiblingDatabase(named name: String) async throws {
        try checkSiblingName(name, "drop")
        try await read { session in
            try await session.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
        }
    }

    /// The name is spliced into the statement (a database name cannot be bound), so only `[a-z0-9_]` passes.
    private func checkSiblingName(_ name: String, _ verb: String) throws {
        guard dialect == .postgres, !name.isEmpty,
              name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else {
            throw CicloError.badRequest("invalid_name", "Cannot \(verb) a database named \(name) here.")
        }
    }
}
