import CicloCore
import CicloStore
import Foundation

/// Keeps the daily rollups current from the event log: each refresh reads only the events after the watermark and
/// adds them up per local day (workspace time zone) — per event name, per message dimension, per stage and segment.
public struct AnalyticsRollup: Sendable {
    let store: Store
    let batchSize: Int

    /// Events read per refresh batch unless told otherwise.
    public static let defaultBatchSize = 20_000

    public init(store: Store, batchSize: Int = defaultBatchSize) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Message metrics by event name; opens and clicks also count once per message as unique.
    static let messageMetrics: [String: (metric: String, first: String?)] = [
        "Message Sent": ("sends", nil), "Email Delivered": ("deliveries", nil), "SMS Delivered": ("deliveries", nil),
        "WhatsApp Delivered": ("deliveries", nil), "Push Delivered": ("deliveries", nil),
        "Email Opened": ("opens", "open"), "WhatsApp Message Read": ("opens", "open"), "Push Notification Opened": ("opens", "open"),
        "Email Link Clicked": ("clicks", "click"), "SMS Link Clicked": ("clicks", "click"), "WhatsApp Link Clicked": ("clicks", "click"),
        "On-Site Message Clicked": ("clicks", "click"), "Push Notification Tapped": ("clicks", "click"),
        "Unsubscribed": ("unsubscribes", nil), "Email Bounced": ("bounces", nil), "Message Failed": ("failures", nil),
        "Email Marked as Spam": ("complaints", nil),
    ]

    /// Applies the events after the watermark, every one of them or batches until at least `atMost` were read (a page
    /// that must answer quickly leaves a large backlog to the background rollup); returns how many were read.
    @discardableResult
    public func refresh(workspaceId: Int64, atMost: Int = .max) async throws -> Int {
        let zone = TimeZone(identifier: try await store.workspace(id: workspaceId).timeZone) ?? .gmt
        var total = 0
        while total < atMost {
            let watermark = try await store.analyticsWatermark(workspaceId: workspaceId)
            let events = try await store.events(workspaceId: workspaceId, after: watermark, limit: batchSize)
            guard let last = events.last?.id else { return total }
            var values: [RollupIncrement: Double] = [:]
            var firsts: [(message: Int64, kind: String, increments: [RollupIncrement])] = []
            for event in events { Self.add(event, zone: zone, &values, &firsts) }
            do {
                try await store.addRollups(workspaceId: workspaceId, expectedWatermark: watermark, watermark: last, values, firsts: firsts)
            } catch let error as CicloError where error.code == "rollup_moved" {
                continue  // another process got there first: read from its watermark
            }
            total += events.count
        }
        return total
    }

    /// True when events after the watermark are not in the rollups yet.
    public func isBehind(workspaceId: Int64) async throws -> Bool {
        let watermark = try await store.analyticsWatermark(workspaceId: workspaceId)
        return !(try await store.events(workspaceId: workspaceId, after: watermark, limit: 1)).isEmpty
    }

    /// Recomputes the rollups from the whole log.
    @discardableResult
    public func rebuild(workspaceId: Int64) async throws -> Int {
        try await store.resetRollups(workspaceId: workspaceId)
        return try await refresh(workspaceId: workspaceId)
    }

    /// Days since 1970-01-01 in `zone` (daylight saving included).
    public static func localDay(_ ms: Int64, zone: TimeZone) -> Int {
        Int((ms + Int64(zone.secondsFromGMT(for: Date(epochMilliseconds: ms))) * 1000) / 86_400_000)
    }

    static func add(_ e: Event, zone: TimeZone, _ values: inout [RollupIncrement: Double],
                    _ firsts: inout [(message: Int64, kind: String, increments: [RollupIncrement])]) {
        let day = localDay(e.timestamp.epochMilliseconds, zone: zone)
        let name = e.event ?? e.type.rawValue
        values[RollupIncrement(day: day, dimension: "event", key: name, metric: "count"), default: 0] += 1
        let p = e.properties
        switch name {
        case "Lifecycle Stage Changed":
            if let to = p["to"]?.stringValue { values[RollupIncrement(day: day, dimension: "stage", key: to, metric: "entries"), default: 0] += 1 }
            if let from = p["from"]?.stringValue { values[RollupIncrement(day: day, dimension: "stage", key: from, metric: "exits"), default: 0] += 1 }
        case "Segment Entered", "Segment Exited":
            if let key = p["segment_key"]?.stringValue {
                values[RollupIncrement(day: day, dimension: "segment", key: key, metric: name == "Segment Entered" ? "entries" : "exits"), default: 0] += 1
            }
        default: break
        }
        guard let message = p["message_id"]?.intValue, let metric = messageMetrics[name] else { return }
        var keys: [(String, String)] = [("message", "all")]
        if let channel = p["channel"]?.stringValue { keys.append(("channel", channel)) }
        if let template = p["template"]?.stringValue { keys.append(("template", template)) }
        if let journey = p["journey"]?.stringValue {
            keys.append(("journey", journey))
            if let step = p["step"]?.stringValue { keys.append(("step", journey + "/" + step)) }
            if let arm = p["arm"]?.stringValue { keys.append(("arm", journey + "/" + arm)) }
        }
        for (dimension, key) in keys { values[RollupIncrement(day: day, dimension: dimension, key: key, metric: metric.metric), default: 0] += 1 }
        if let kind = metric.first {
            firsts.append((message, kind, keys.map { RollupIncrement(day: day, dimension: $0.0, key: $0.1, metric: "unique_" + metric.metric) }))
        }
    }
}
