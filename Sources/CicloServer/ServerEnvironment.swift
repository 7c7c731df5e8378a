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
    /// Re-checks, reconciles and scores audiences in the background.
    public var audience: AudienceService
    /// Runs journeys' due enrolments.
    public var journeys: JourneyScheduler
    /// How messages reach people.
    public var channels: ChannelSettings
    /// Sends what the outbox holds.
    public var delivery: DeliveryService
    /// Recent write-key and admin-token look-ups.
    public var credentials: CredentialCache
    /// Next best content and coverage, with its performance cache.
    public var content: ContentAdvisor
    /// Saving journeys, checked against what the server may do.
    public var journeyLibrary: JourneyLibrary
    /// What this process does among several on one database.
    public var role: ServerRole
    /// The long-running services behind the HTTP surface, in start order: an `api` node writes what it accepts; a
    /// `worker` node (or `all`) applies it, runs audiences and journeys and delivers.
    public var services: [any Service] {
        var services: [any Service] = role.servesRequests ? [ingest] : []
        if role.runsWorkers { services += backgroundAudience ? [profiles, audience, journeys, delivery] as [any Service] : [profiles] }
        return services
    }
    /// Whether re-checks, reconciliation and RFM run on their own (tests drive them by hand).
    public var backgroundAudience: Bool

    /// The clock.
    public var clock: any CicloClock
    /// The logger routes start from.
    public var logger: Logger

    /// Assembles an environment; `buildApplication` runs its services.
    public init(store: Store, ingestConfiguration: IngestWriter.Configuration = .init(), clock: any CicloClock = SystemClock(),
                logger: Logger = Logger(label: "ciclo"), backgroundAudience: Bool = true,
                channels: ChannelSettings = ChannelSettings(publicURL: "http://localhost:8080"), role: ServerRole = .all) {
        self.role = role
        self.channels = channels
        self.delivery = DeliveryService(store: store, settings: channels, clock: clock, logger: logger)
        self.backgroundAudience = backgroundAudience
        self.store = store
        self.content = ContentAdvisor(store: store)
        self.journeyLibrary = JourneyLibrary(store: store, channels: channels)
        let profiles = ProfileProcessor(store: store, clock: clock, logger: logger, hooks: LiveBatchHooks.all(store: store, clock: clock))
        self.profiles = profiles
        self.audience = AudienceService(store: store, clock: clock, logger: logger)
        self.journeys = JourneyScheduler(store: store, clock: clock, logger: logger)
        self.ingest = IngestWriter(store: store, configuration: ingestConfiguration, logger: logger,
                                   afterCommit: { profiles.nudge() })
        self.credentials = CredentialCache(store: store)
        self.clock = clock
        self.logger = logger
    }
}
