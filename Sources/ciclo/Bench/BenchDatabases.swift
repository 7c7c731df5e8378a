import CicloCore
import CicloStore
import Foundation

/// Fresh databases for a benchmark run: a new SQLite file, or a new database on the given PostgreSQL server.
enum BenchDatabases {
    /// A URL for an empty database on the engine of `base` (nil means SQLite in a temporary directory).
    static func fresh(base: String?, label: String) async throws -> DatabaseURL {
        guard let base, !base.isEmpty else {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ciclo-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return .sqlite(path: dir.appendingPathComponent("\(label).db").path)
        }
        let url = try DatabaseURL(parsing: base)
        guard case .postgres(var location) = url else { return url }
        let name = "ciclo_bench_\(label)_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try await Database.open(url, logger: CommandLogging.quiet)
        do { try await admin.createSiblingDatabase(named: name) } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        location.database = name
        return .postgres(location)
    }

    /// The engine name of a `--database` value.
    static func engine(_ base: String?) -> String {
        guard let base, let url = try? DatabaseURL(parsing: base) else { return "sqlite" }
        if case .postgres = url { return "postgres" }
        return "sqlite"
    }

    /// The URL text of a parsed URL with its password, for child processes.
    static func text(_ url: DatabaseURL) -> String {
        switch url {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let p):
            let auth = p.password.map { "\(p.username):\($0)" } ?? p.username
            return "postgres://\(auth)@\(p.host):\(p.port)/\(p.database)"
        }
    }
}
