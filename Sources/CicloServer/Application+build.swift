import CicloCore
import CicloEngine
import CicloStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the Ciclo HTTP application; `ciclo serve` and every server test use this one function.
public func buildApplication(
    environment: ServerEnvironment, configuration: ServerConfiguration = .init(), services: [any Service] = [],
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    _ = CicloMetrics.registry
    let router = buildRouter(environment)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Ciclo"),
        services: environment.services + services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: environment.logger)
}

/// The routes: operations endpoints, the tracking API, the admin API and the dashboard.
public func buildRouter(_ environment: ServerEnvironment) -> Router<CicloRequestContext> {
    let router = Router(context: CicloRequestContext.self)
    router.addMiddleware {
        ErrorMiddleware<CicloRequestContext>()
        MetricsMiddleware<CicloRequestContext>()
    }
    OperationsRoutes(store: environment.store, role: environment.role).register(on: router)
    guard environment.role.servesRequests else { return router }
    TrackingRoutes(environment: environment).register(on: router)
    PersonalizeRoutes(environment: environment).register(on: router)
    TrackingLinkRoutes(environment: environment).register(on: router)
    SurveyRoutes(environment: environment).register(on: router)
    PreferenceRoutes(environment: environment).register(on: router)
    ProviderCallbackRoutes(environment: environment, twilio: environment.channels.twilio, publicURL: environment.channels.publicURL)
        .register(on: router)
    let admin = router.group("api/v1").add(middleware: AdminAuthMiddleware(credentials: environment.credentials))
    AdminWorkspaceRoutes(environment: environment).register(on: admin)
    RecommendationRoutes(environment: environment).register(on: router, admin: admin)
    AdminContentRoutes(environment: environment).register(on: admin, router: router)
    AdminEventRoutes(environment: environment).register(on: admin)
    AdminDeadLetterRoutes(environment: environment).register(on: admin)
    AdminProfileRoutes(environment: environment).register(on: admin)
    AdminSegmentRoutes(environment: environment).register(on: admin)
    AdminLifecycleRoutes(environment: environment).register(on: admin)
    AdminJourneyRoutes(environment: environment).register(on: admin)
    AdminMessageRoutes(environment: environment).register(on: admin)
    AdminPredictionRoutes(environment: environment).register(on: admin)
    AdminAnalyticsRoutes(environment: environment).register(on: admin)
    AdminLoyaltyRoutes(environment: environment).register(on: admin)
    StorefrontLoyaltyRoutes(environment: environment).register(on: router)
    registerDashboard(on: router, environment)
    return router
}

/// The marketer's dashboard: sign-in on its own, every other page behind a session (and a CSRF check on posts).
func registerDashboard(on router: Router<CicloRequestContext>, _ environment: ServerEnvironment) {
    let store = environment.store
    DashboardAssetRoutes().register(on: router)
    let pages = router.group()
        .add(middleware: DashboardSessionMiddleware(store: store))
        .add(middleware: DashboardErrorMiddleware())
    SignInRoutes(store: store, secureCookies: environment.channels.publicURL.hasPrefix("https://")).register(on: router, signedIn: pages)
    OverviewPage(store: store, clock: environment.clock).register(on: pages)
    LifecyclePage(store: store, clock: environment.clock).register(on: pages)
    PeoplePages(store: store).register(on: pages)
    SegmentPages(store: store).register(on: pages)
    JourneyPages(store: store, clock: environment.clock, library: environment.journeyLibrary).register(on: pages)
    TemplatePages(store: store).register(on: pages)
    MessagePages(store: store).register(on: pages)
    SettingsPage(store: store, channels: environment.channels).register(on: pages)
    PredictionsPage(store: store, clock: environment.clock).register(on: pages)
    AnalyticsPage(store: store, clock: environment.clock).register(on: pages)
    LoyaltyPage(store: store, clock: environment.clock).register(on: pages)
    ContentPage(store: store, advisor: environment.content).register(on: pages)
}
