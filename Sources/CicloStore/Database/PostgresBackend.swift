import CicloCore
import Foundation
import Logging
import NIOSSL
import PostgresKit
import SQLKit

/// PostgreSQL through PostgresNIO's connection pool, which runs in a task this backend owns.
final class PostgresBackend: Sendable {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    static func open(_ location: DatabaseURL.PostgresLocation, logger: Logger) async throws -> PostgresBackend {
        let tls: PostgresConnection.Configuration.TLS = location.requireTLS
            ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable
        let quiet = { var l = logger; l.logLevel = .critical; return l }()
        // A direct connection first: it fails fast with the real reason (refused, bad password, no such
        // database), where the pool would keep retrying in the background.
        do {
            var direct = PostgresConnection.Configuration(
                host: location.host, port: location.port, username: location.username, password: location.password,
                database: location.database, tls: tls)
            direct.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(configuration: direct, id: 0, logger: quiet)
            _ = try await connection.query("SELECT 1", logger: quiet)
            try await connection.close()
        } catch {
            throw CicloError(.unavailable, code: "database_unavailable",
                "Cannot connect to PostgreSQL at \(location.host):\(location.port)/\(location.database): \(Self.describe(error))")
        }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database,
            tls: location.requireTLS ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 16
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        let runner = Task { await client.run() }
        let backend = PostgresBackend(client: client, runner: runner, logger: logger)
        return backend
    }

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.runner = runner
        self.logger = logger
    }

    func read<T: Sendable>(_ body: @Sendable (DatabaseSession) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await body(Self.session(connection))
            }
        } catch let error as PSQLError {
            throw Self.readable(error)
        }
    }

    /// PostgresNIO hides the server's message from `description`; logs and callers need it.
    static func readable(_ error: PSQLError) -> CicloError {
        let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
        return CicloError(.internalError, code: "database_error", "PostgreSQL: \(describe(error))\(state)")
    }

    func write<T: Sendable>(_ body: @Sendable (DatabaseSession) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(Self.session(connection))
            }
        } catch let error as PostgresTransactionError {
            // Callers care about their own error (a CicloError, say), not the wrapper around it.
            let inner = error.closureError ?? error.commitError ?? error.beginError ?? error
            if let psql = inner as? PSQLError { throw Self.readable(psql) }
            throw inner
        }
    }

    func close() async {
        runner.cancel()
        _ = await runner.value
    }

    private static func session(_ connection: PostgresConnection) -> DatabaseSession {
        DatabaseSession(sql: connection.sql(queryLogLevel: nil), dialect: .postgres, native: .postgres(connection))
    }

    /// PostgresNIO hides server messages behind a generic description; dig out the useful part.
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] { return message }
            if let underlying = psql.underlying { return "\(underlying)" }
            return "\(psql.code)"
        }
        if let ciclo = error as? CicloError { return ciclo.message }
        return "\(error)"
    }
}
