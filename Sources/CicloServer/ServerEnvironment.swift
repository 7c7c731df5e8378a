import CicloCore
import CicloEngine
import CicloStore
import Logging

/// Everything the HTTP surface needs from the rest of Ciclo, built once at start and shared by every route.
public struct ServerEnvironment: Sendable {
    /// Where everything is stored.
    public var store: Store
    /// The single writer of the event log.
    public var ingest: IngestWriter
    /// Recent write-key and admin-token look-ups.
    public var credentials: CredentialCache
    /// The clock.
    public var clock: any CicloClock
    /// The logger routes start from.
    public var logger: Logger

    /// Assembles an environment; the ingest writer must also run as a service (see `services`).
    public init(store: Store, ingest: IngestWriter? = nil, clock: any CicloClock = SystemClock(),
                logger: Logger = Logger(label: "ciclo")) {
        self.store = store
        self.ingest = ingest ?? IngestWriter(store: store, logger: logger)
        self.credentials = CredentialCache(store: store)
        self.clock = clock
        self.logger = logger
    }
}
