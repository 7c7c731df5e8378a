import CicloCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// SQLite in WAL mode: one writer connection serialised by a lock, and a few reader connections.
final class SQLiteBackend: Sendable {
    private let writer: SQLiteConnection
    private let readers: SQLiteReaderPool
    private let writeLock = AsyncMutex()
    private let logger: Logger

    static func open(path: String, logger: Logger) async throws -> SQLiteBackend {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CicloError(.unavailable, code: "database_unavailable",
                "Cannot open the SQLite database \(path): the directory \(directory) does not exist.")
        }
        if FileManager.default.fileExists(atPath: path) && !FileManager.default.isWritableFile(atPath: path) {
            throw CicloError(.unavailable, code: "database_read_only",
                "Cannot open the SQLite database \(path): the file is read-only.")
        }
        // WAL mode needs to create -wal and -shm files beside the database.
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw CicloError(.unavailable, code: "database_read_only",
                "Cannot open the SQLite database \(path): the directory \(directory) is not writable.")
        }
        let writer: SQLiteConnection
        do {
            writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            for pragma in [
                "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=15000",
                "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-65536", "PRAGMA foreign_keys=OFF",
            ] {
                _ = try await writer.query(pragma)
            }
            // Give the planner statistics where they are missing or stale (cheap: bounded by analysis_limit).
            _ = try await writer.query("PRAGMA analysis_limit=1000")
            _ = try await writer.query("PRAGMA optimize=0x10002")
            // Touch the file for writing now, so a read-only or corrupt file fails here with a clear message.
            _ = try await writer.query("BEGIN IMMEDIATE")
            _ = try await writer.query("COMMIT")
        } catch let error as CicloError {
            throw error
        } catch {
            throw CicloError(.unavailable, code: "database_unavailable",
                "Cannot open the SQLite database \(path): \(error).")
        }
        var readerConnections: [SQLiteConnection] = []
        for _ in 0..<4 {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            _ = try await reader.query("PRAGMA busy_timeout=15000")
            _ = try await reader.query("PRAGMA cache_size=-32768")
            readerConnections.append(reader)
        }
        return SQLiteBackend(writer: writer, readers: SQLiteReaderPool(readerConnections), logger: logger)
    }

    private init(writer: SQLiteConnection, readers: SQLiteReaderPool, logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.logger = logger
    }

    func read<T: Sendable>(_ body: @Sendable (DatabaseSession) async throws -> T) async throws -> T {
        let connection = await readers.checkOut()
        do {
            let result = try await body(Self.session(connection))
            await readers.checkIn(connection)
            return result
        } catch {
            await readers.checkIn(connection)
            throw error
        }
    }

    /// True when a foreground transaction (an acknowledgement, a page's save) asked for the writer within `window`.
    func foregroundWritesRecently(within window: Duration) -> Bool { writeLock.foregroundAsked(within: window) }

    func write<T: Sendable>(priority: WritePriority, _ body: @Sendable (DatabaseSession) async throws -> T) async throws -> T {
        let writer = self.writer
        return try await writeLock.withLock(priority: priority) {
            // IMMEDIATE takes the write lock up front, so another process waits at BEGIN instead of failing mid-way.
            _ = try await writer.query("BEGIN IMMEDIATE")
            do {
                let result = try await body(Self.session(writer))
                _ = try await writer.query("COMMIT")
                return result
            } catch {
                do {
                    // In a task of its own: a cancelled caller's query throws CancellationError without running, and
                    // a ROLLBACK that never ran left the writer inside the transaction, failing every later write.
                    _ = try await Task { try await writer.query("ROLLBACK") }.value
                } catch let rollback {
                    // The writer may now be stuck inside a transaction; say so loudly rather than fail every write after.
                    logger.critical("rollback failed", metadata: ["error": "\(rollback)", "cause": "\(error)"])
                }
                throw error
            }
        }
    }

    func close() async {
        try? await writer.close()
        await readers.closeAll()
    }

    private static func session(_ connection: SQLiteConnection) -> DatabaseSession {
        DatabaseSession(sql: connection.sql(queryLogLevel: nil), dialect: .sqlite, native: .sqlite(connection))
    }
}

/// Reader connections handed out one task at a time.
actor SQLiteReaderPool {
    private var idle: [SQLiteConnection]
    private var all: [SQLiteConnection]
    private var waiters: [CheckedContinuation<SQLiteConnection, Never>] = []

    init(_ connections: [SQLiteConnection]) {
        idle = connections
        all = connections
    }

    func checkOut() async -> SQLiteConnection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func checkIn(_ connection: SQLiteConnection) {
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    func closeAll() async {
        for connection in all { try? await connection.close() }
    }
}
