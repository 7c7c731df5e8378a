import CicloCore
import CicloEngine
import CicloStore
import Logging
import ServiceLifecycle

/// Everything the HTTP surface needs from the rest of Ciclo, built once at start and shared by every route.
public struct ServerEnvironment: Sendable {
    /// Where everything is stored.
    public var store: Store
    /// The single writer of the event log.
    public var ingest: IngestWriter
    /// Applies the log to profiles.
    public var profiles: ProfileProcessor
    /// Recent write-key and admin-token look-ups.
    public var credentials: CredentialCache
    /// The long-running services behind the HTTP surface, in start order.
    public var services: [any Service] { [ingest, profiles] }

    /// The clock.
    public var clock: any CicloClock
    /// The logger routes start from.
    public var logger: Logger

    /// Assembles an environment; `buildApplication` runs its services.
    public init(store: Store, ingestConfiguration: IngestWriter.Configuration = .init(), clock: any CicloClock = SystemClock(),
                logger: Logger = Logger(label: "ciclo")) {
        self.store = store
        let profiles = ProfileProcessor(store: store, clock: clock, logger: logger)
        self.profiles = profiles
        self.ingest = IngestWriter(store: store, configuration: ingestConfiguration, logger: logger,
                                   afterCommit: { profiles.nudge() })
        self.credentials = CredentialCache(store: store)
        self.clock = clock
        self.logger = logger
    }
}
