import ArgumentParser
import CicloStore

/// `ciclo migrate`: brings the database to this build's schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var db: DatabaseOption

    func run() async throws {
        let database = try await Database.open(try db.url(), logger: CommandLogging.quiet)
        defer { Task { await database.close() } }
        let applied = try await Migrator(database).migrate()
        let version = try await Migrator(database).currentVersion()
        if applied.isEmpty {
            print("Database is up to date at schema version \(version).")
        } else {
            print("Applied migrations \(applied.map(String.init).joined(separator: ", ")); schema version \(version).")
        }
        await database.close()
    }
}
