import Foundation

/// Workspace-wide rules for marketing messages: frequency caps, quiet hours and a global control group.
public struct JourneyRules: Sendable, Equatable {
    /// At most `limit` messages on `channel` per `window`.
    public struct Cap: Sendable, Equatable {
        public var channel: String
        public var limit: Int
        public var window: TimeSpan
        public init(channel: String, limit: Int, window: TimeSpan) {
            self.channel = channel
            self.limit = limit
            self.window = window
        }
    }

    /// No marketing messages between `start` and `end` (local time); `hold` delays them, otherwise they are skipped.
    public struct QuietHours: Sendable, Equatable {
        public var start: (hour: Int, minute: Int)
        public var end: (hour: Int, minute: Int)
        public var hold: Bool
        public init(start: (Int, Int), end: (Int, Int), hold: Bool) {
            self.start = start
            self.end = end
            self.hold = hold
        }
        public static func == (a: Self, b: Self) -> Bool {
            a.start == b.start && a.end == b.end && a.hold == b.hold
        }
    }

    public var caps: [Cap]
    public var quietHours: QuietHours?
    /// Share of people (0–1) held out of every marketing message.
    public var controlShare: Double
    /// Time zone for people whose own is unknown.
    public var defaultTimeZone: String

    public init(caps: [Cap] = [], quietHours: QuietHours? = nil, controlShare: Double = 0, defaultTimeZone: String = "UTC") {
        self.caps = caps
        self.quietHours = quietHours
        self.controlShare = controlShare
        self.defaultTimeZone = defaultTimeZone
    }

    /// The defaults: 3 marketing emails a week, 1 SMS and 1 WhatsApp a day; quiet 21:00–08:00, held; no control group.
    public static let standard = JourneyRules(
        caps: [Cap(channel: "email", limit: 3, window: .days(7)), Cap(channel: "sms", limit: 1, window: .days(1)),
               Cap(channel: "whatsapp", limit: 1, window: .days(1))],
        quietHours: QuietHours(start: (21, 0), end: (8, 0), hold: true), controlShare: 0)

    /// True when the person is in the global control group: a stable hash of workspace secret and profile id.
    public func inControlGroup(profileId: Int64, secret: String) -> Bool {
        guard controlShare > 0 else { return false }
        return StableHash.unit("control|\(secret)|\(profileId)") < controlShare
    }
}

/// A stable hash to [0, 1): the same input always lands in the same place, on every machine and run.
public enum StableHash {
    public static func unit(_ text: String) -> Double {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        // Finish with a mixer so nearby inputs spread out.
        h ^= h >> 33; h = h &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 33; h = h &* 0xC4CE_B9FE_1A85_EC53; h ^= h >> 33
        return Double(h >> 11) * 0x1.0p-53
    }
}

extension JourneyRules {
    /// When the quiet hours covering `now` end in `zone`, or nil outside them.
    public func quietUntil(now: Int64, zone: String) -> Int64? {
        quietHours.flatMap { LocalTime.quietUntil($0, now: now, zone: zone) }
    }
}
