import Foundation

/// A synthetic e-commerce business for demos, tests and benchmarks: deterministic for a seed and an end date.
///
/// Visitors arrive through channels and campaigns, browse anonymously on one or two devices, some sign up, some buy.
/// Customers repeat-purchase by a buy-till-you-die process: each buys at a Poisson rate drawn from a gamma
/// distribution and drops out after any purchase with a probability drawn from a beta distribution, so RFM and
/// lifetime-value models have something true to find.
public struct DemoShop: Sendable {
    /// What to generate.
    public struct Parameters: Sendable, Equatable {
        /// How many visitors (each becomes one profile).
        public var profiles: Int
        /// How many days of history, ending at `end`.
        public var days: Int
        /// The seed; the same seed and end give the same data.
        public var seed: UInt64
        /// The last instant of history.
        public var end: Date
        /// The workspace the events belong to.
        public var workspaceId: Int64

        /// Creates parameters; `end` defaults to the start of today (UTC), so a day's runs agree.
        public init(profiles: Int, days: Int = 365, seed: UInt64 = 1, end: Date? = nil, workspaceId: Int64 = 1) {
            self.profiles = profiles
            self.days = days
            self.seed = seed
            let today = Int64(Date().timeIntervalSince1970 / 86_400) * 86_400
            self.end = end ?? Date(timeIntervalSince1970: Double(today))
            self.workspaceId = workspaceId
        }
    }

    /// The behaviour model's true parameters, for checking what models recover.
    public struct Behaviour: Sendable {
        /// Share of visitors who sign up (before the channel's multiplier).
        public var signupRate = 0.30
        /// Share of sign-ups who ever buy.
        public var buyerRate = 0.45
        /// Gamma shape of the per-day purchase rate λ.
        public var rateShape = 0.8
        /// Gamma rate (days) of λ: mean λ = shape / rate.
        public var rateScaleDays = 60.0
        /// Beta a of the drop-out probability after each purchase.
        public var dropoutA = 0.8
        /// Beta b of the drop-out probability.
        public var dropoutB = 2.6
        /// Share of orders refunded.
        public var refundRate = 0.04
        /// Share of orders reviewed.
        public var reviewRate = 0.25

        /// The defaults.
        public init() {}
    }

    /// The parameters.
    public let parameters: Parameters
    /// The behaviour model.
    public let behaviour: Behaviour
    /// The catalogue.
    public let catalog: DemoCatalog

    /// Creates the shop.
    public init(_ parameters: Parameters, behaviour: Behaviour = Behaviour()) {
        self.parameters = parameters
        self.behaviour = behaviour
        self.catalog = DemoCatalog(seed: parameters.seed)
    }

    /// The first instant of history.
    public var start: Date { parameters.end.addingTimeInterval(-Double(parameters.days) * 86_400) }

    /// Every event of visitors in `range`, ordered by time (then by visitor).
    public func events(forVisitors range: Range<Int>) -> [Event] {
        var all: [Event] = []
        for index in range { all += visitor(index) }
        all.sort { ($0.timestamp, $0.messageId) < ($1.timestamp, $1.messageId) }
        return all
    }

    /// The events of visitor `index`, in time order.
    public func visitor(_ index: Int) -> [Event] {
        var simulation = DemoVisitor(shop: self, index: index)
        simulation.run()
        return simulation.timeline.events
    }

    /// The catalogue as `Product Viewed`-style properties, for seeding a product catalogue.
    public var products: [DemoProduct] { catalog.products }
}

