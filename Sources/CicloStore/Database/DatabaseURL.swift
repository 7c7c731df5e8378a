import CicloCore
import Foundation

/// Where Ciclo keeps its data: an embedded SQLite file or a PostgreSQL server, parsed from a database URL.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// The parts of a `postgres://user:pass@host:port/db` URL.
    public struct PostgresLocation: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        public var requireTLS: Bool
    }

    /// The default: `ciclo.db` in the working directory.
    public static let `default` = DatabaseURL.sqlite(path: "ciclo.db")

    /// Parses `sqlite:///abs/path`, `sqlite://relative/path`, `sqlite::memory:`-style paths, or `postgres://...`.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard !path.isEmpty, path != "/" else {
                throw CicloError.badRequest("invalid_database_url",
                    "The database URL \(text) has no file path; use sqlite:///path/to/ciclo.db.")
            }
            self = .sqlite(path: path)
            return
        }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed), let host = components.host, !host.isEmpty else {
                throw CicloError.badRequest("invalid_database_url",
                    "The database URL is not a valid postgres:// URL; expected postgres://user:pass@host:port/db.")
            }
            let database = String(components.path.drop(while: { $0 == "/" }))
            guard !database.isEmpty else {
                throw CicloError.badRequest("invalid_database_url",
                    "The PostgreSQL URL names no database; expected postgres://user:pass@host:port/db.")
            }
            guard let user = components.user, !user.isEmpty else {
                throw CicloError.badRequest("invalid_database_url",
                    "The PostgreSQL URL names no user; expected postgres://user:pass@host:port/db.")
            }
            let query = components.queryItems ?? []
            let sslmode = query.first(where: { $0.name == "sslmode" })?.value
            self = .postgres(PostgresLocation(
                host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
                password: components.password?.removingPercentEncoding, database: database,
                requireTLS: sslmode == "require" || sslmode == "verify-full"))
            return
        }
        if !trimmed.contains("://") && !trimmed.isEmpty && !trimmed.contains(":") {
            // A bare path is accepted as a SQLite file, which is what people type.
            self = .sqlite(path: trimmed)
            return
        }
        throw CicloError.badRequest("invalid_database_url",
            "Unsupported database URL \(text.debugDescription): use sqlite:///path/to/ciclo.db or postgres://user:pass@host:port/db.")
    }

    /// The URL with any password hidden, for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let p): return "postgres://\(p.username)@\(p.host):\(p.port)/\(p.database)"
        }
    }
}
