import Foundation

/// What a dry run found: who would have entered, which way they would have gone, and what would have been sent.
public struct JourneySimulation: Sendable, Codable, Equatable {
    /// A group of people in the replay and how many reached the goal after their first message (or, held out, after the
    /// moment it would have gone).
    public struct Group: Sendable, Codable, Equatable {
        public var people = 0
        public var converted = 0
        public var revenue = 0.0
        public var conversionRate: Double? { people > 0 ? Double(converted) / Double(people) : nil }

        public init(people: Int = 0, converted: Int = 0, revenue: Double = 0) {
            (self.people, self.converted, self.revenue) = (people, converted, revenue)
        }
        enum CodingKeys: String, CodingKey { case people, converted, revenue, conversionRate }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            (people, converted, revenue) = (try c.decode(Int.self, forKey: .people), try c.decode(Int.self, forKey: .converted),
                                            try c.decode(Double.self, forKey: .revenue))
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(people, forKey: .people); try c.encode(converted, forKey: .converted)
            try c.encode(revenue, forKey: .revenue); try c.encodeIfPresent(conversionRate, forKey: .conversionRate)
        }
    }

    public var entered = 0
    /// Entrants sent at least one message.
    public var messaged = 0
    /// Entrants who were sent a message and reached the goal after the first one: the only conversions credited.
    public var converted = 0
    public var revenue = 0.0
    /// Entrants who reached the goal before any message went out: the journey cannot have caused these.
    public var convertedBeforeFirstMessage = 0
    public var revenueBeforeFirstMessage = 0.0
    /// Entrants held out (the workspace's control group or a control arm), counted from when their message would have gone.
    public var heldOut = Group()
    /// With nobody held out: people in the replay who never entered, and how many of them reached the goal.
    public var nonEntrants: Group?
    public var exited = 0
    public var completed = 0
    public var stillActive = 0
    /// Per step: outcome → count (`sent`, `capped`, `quiet_hold`, `branch:0`, `arm:A`, ...).
    public var steps: [String: [String: Int]] = [:]
    /// Messages that would have been sent, per channel.
    public var messages: [String: Int] = [:]

    public init() {}

    /// Entrants who were messaged, as a group beside `heldOut`.
    public var treated: Group { Group(people: messaged, converted: converted, revenue: revenue) }
}
