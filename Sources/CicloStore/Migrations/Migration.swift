/// One numbered, append-only change to the schema; once released it is never edited, only followed by another.
public struct Migration: Sendable {
    /// The schema version this migration brings the database to.
    public let version: Int
    /// What it does, in a few words.
    public let name: String
    /// The statements for an engine, run in order in one transaction.
    public let statements: @Sendable (Dialect) -> [String]

    /// Creates a migration.
    public init(version: Int, name: String, statements: @escaping @Sendable (Dialect) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

extension Migration {
    /// Every migration this build of Ciclo knows, oldest first.
    public static let all: [Migration] = [
        .coreSchema,
        .ingestDeadLetters,
        .profiles,
        .lifecycle,
        .journeys,
        .channels,
        .dashboard,
        .predictions,
        .analytics,
        .loyalty,
        .recommendations,
        .processingDeadLetters,
        .openStageEntries,
        .compactMessageIds,
    ]

    /// The schema version this build writes.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
