import ArgumentParser
import CicloCore
import CicloStore
import Foundation
import Logging

/// `--database URL`, falling back to `CICLO_DATABASE_URL` and then `sqlite://ciclo.db`; every command takes it.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Database URL: sqlite:///path/to/ciclo.db or postgres://user:pass@host:port/db (env CICLO_DATABASE_URL; default ./ciclo.db).",
        valueName: "url"))
    var database: String?

    /// The URL to use.
    func url() throws -> DatabaseURL {
        if let text = database ?? ProcessInfo.processInfo.environment["CICLO_DATABASE_URL"], !text.isEmpty {
            return try DatabaseURL(parsing: text)
        }
        return .default
    }

    /// Opens and migrates the store.
    func openStore(logger: Logger = CommandLogging.quiet) async throws -> Store {
        try await Store.open(try url(), logger: logger)
    }

    /// Opens the store, runs `body`, and closes the store whether or not `body` throws.
    func withStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        let store = try await openStore()
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

/// Loggers for commands: quiet for one-shot commands, configurable for `serve`.
enum CommandLogging {
    static var quiet: Logger {
        var logger = Logger(label: "ciclo")
        logger.logLevel = .error
        return logger
    }
}

/// Prints a value as one line of JSON.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Writes a line to standard output at once (unbuffered), so supervisors and tests see it immediately.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
