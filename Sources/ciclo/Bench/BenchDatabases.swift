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

    /// Removes a database `fresh` made once a run is done with it: a benchmark at a million profiles leaves gigabytes.
    /// Only what `fresh` makes is touched (a `ciclo-bench-` temporary directory, a `ciclo_bench_` database); a failure
    /// to clean up is reported, not thrown, since the figures are already measured.
    static func discard(_ url: DatabaseURL, base: String?) async {
        do {
            switch url {
            case .sqlite(let path):
                let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
                guard dir.lastPathComponent.hasPrefix("ciclo-bench-"),
                      dir.deletingLastPathComponent().standardizedFileURL == FileManager.default.temporaryDirectory.standardizedFileURL
                else { return }
                try FileManager.default.removeItem(at: dir)
            case .postgres(let location):
                guard location.database.hasPrefix("ciclo_bench_"), let base else { return }
                let admin = try await Database.open(try DatabaseURL(parsing: base), logger: CommandLogging.quiet)
                do { try await admin.dropSiblingDatabase(named: location.database) } catch {
                    await admin.close()
                    throw error
                }
                await admin.close()
            }
        } catch {
            FileHandle.standardError.write(Data("Could not remove the benchmark database \(url): \(error)\n".utf8))
        }
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
