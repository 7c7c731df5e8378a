import CicloCore
import CicloStore
import Foundation

/// What the 360° profile page shows of one person.
struct ProfileModel {
    struct Pair { var key: String; var value: String }
    struct Stay { var stage: String; var entered: String; var exited: String }
    struct Message { var template: String; var channel: String; var status: String; var journey: String; var at: String }
    struct TimelineItem { var at: String; var name: String; var properties: String }
    struct Consent { var channel: String; var topic: String; var status: String; var source: String }

    var id: Int64
    var name: String
    var identities: [Pair]
    var stage: String
    var persona: String
    var rfm: String
    var facts: [Pair]
    var predictions: [Pair]
    var traits: [Pair]
    var computed: [Pair]
    var segments: [String]
    var stays: [Stay]
    var messages: [Message]
    var consents: [Consent]
    var timeline: [TimelineItem]
    var nextPage: String?

    static func build(_ d: ProfileDetail, store: Store, workspace: Workspace, after: EventCursor?) async throws -> ProfileModel {
        let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
        let p = d.profile, c = p.computed, l = p.lifecycle
        let stageNames = Dictionary(uniqueKeysWithValues: try await store.lifecycleModel(workspaceId: workspace.id).stages.map { ($0.key, $0.name) })
        var facts: [Pair] = [
            Pair(key: "First seen", value: DashboardFormat.time(c.firstSeen, zone: zone)),
            Pair(key: "Last seen", value: DashboardFormat.time(c.lastSeen, zone: zone)),
            Pair(key: "Orders", value: DashboardFormat.count(c.orderCount)),
            Pair(key: "Revenue", value: DashboardFormat.money(c.totalRevenue)),
            Pair(key: "Average order", value: c.averageOrderValue.map { DashboardFormat.money($0) } ?? "–"),
            Pair(key: "Last order", value: DashboardFormat.time(c.lastOrderAt, zone: zone)),
            Pair(key: "Sessions", value: DashboardFormat.count(c.sessionCount)),
            Pair(key: "Events", value: DashboardFormat.count(d.eventCounts.values.reduce(0, +))),
        ]
        let place = [c.city, c.country].compactMap { $0 }.joined(separator: ", ")
        if !place.isEmpty { facts.append(Pair(key: "Location", value: place)) }
        if let source = c.acquisition?.source ?? c.acquisition?.referrer { facts.append(Pair(key: "Acquired from", value: source)) }
        if !c.channels.isEmpty { facts.append(Pair(key: "Engages on", value: c.channels.joined(separator: ", "))) }

        var computed: [Pair] = []
        if case .object(let members) = c.json {
            for key in members.keys.sorted() where key != "recentOrders" {
                let value = members[key]!
                if value == .null { continue }
                if case .array(let items) = value, items.isEmpty { continue }
                computed.append(Pair(key: key, value: Self.readable(key: key, value, zone: zone)))
            }
        }
        let messages = try await store.outboxMessages(workspaceId: workspace.id, profileId: p.id, status: nil, limit: 20).map { m in
            Message(template: m["template"]?.stringValue ?? "", channel: m["channel"]?.stringValue ?? "", status: m["status"]?.stringValue ?? "",
                    journey: m["journey"]?.stringValue ?? "–",
                    at: (m["sentAt"]?.stringValue ?? m["createdAt"]?.stringValue).flatMap { ISO8601.parse($0) }
                        .map { DashboardFormat.time($0.epochMilliseconds, zone: zone) } ?? "")
        }
        let consents = try await store.consents(workspaceId: workspace.id, profileId: p.id).map {
            Consent(channel: $0.channel, topic: $0.topic == "*" ? "all" : $0.topic, status: $0.status, source: $0.source)
        }
        let pageSize = 50
        let events = try await store.events(EventQuery(workspaceId: workspace.id, profileId: p.id, after: after, limit: pageSize))
        let timeline = events.map { e in
            TimelineItem(at: DashboardFormat.time(e.timestamp.epochMilliseconds, zone: zone),
                         name: e.type == .track ? (e.event ?? "track") : e.type.rawValue.capitalized + (e.name.map { " · " + $0 } ?? ""),
                         properties: Self.short(e.type == .identify ? e.traits : e.properties, limit: 240))
        }
        let next = events.count == pageSize ? events.last.map { EventCursor(timestamp: $0.timestamp.epochMilliseconds, id: $0.id ?? 0).text } : nil
        var rfm = "–"
        if let r = l.rfmRecency, let f = l.rfmFrequency, let m = l.rfmMonetary { rfm = "\(l.rfmSegment ?? "") (R\(r) F\(f) M\(m))" }
        let sc = p.scores
        var predictions: [Pair] = []
        func add(_ label: String, _ value: String?) { if let value { predictions.append(Pair(key: label, value: value)) } }
        add("Churn risk", sc.churnRisk.map { DashboardFormat.percent($0, decimals: 0) })
        add("Orders expected, 90 days", sc.expectedOrders90d.map { String(format: "%.2f", $0) })
        add("Buys within 30 days", sc.purchaseProbability30d.map { DashboardFormat.percent($0, decimals: 0) })
        add("Expected order value", sc.expectedOrderValue.map { DashboardFormat.money($0) })
        add("Predicted CLV, 12 months", sc.predictedClv12m.map { DashboardFormat.money($0) + (sc.clvPercentile.map { String(format: " (top %.0f%%)", max(1, 100 - $0)) } ?? "") })
        add("Discount affinity", sc.discountAffinity.map { DashboardFormat.percent($0, decimals: 0) })
        add("Preferred channel", sc.preferredChannel)
        add("Best send time", sc.bestSendHour.map { h in ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][min(6, h / 24)] + String(format: " %02d:00", h % 24) })
        add("Top category", sc.topCategory)
        add("Top brand", sc.topBrand)
        add("Scored", sc.scoredAt.map { DashboardFormat.time($0, zone: zone) })
        return ProfileModel(
            id: p.id, name: p.displayName ?? p.email ?? p.userId ?? "Anonymous visitor #\(p.id)",
            identities: d.identifiers.map { Pair(key: $0.kind.rawValue, value: $0.value) },
            stage: l.stage.map { stageNames[$0] ?? $0 } ?? "–", persona: l.persona ?? "–", rfm: rfm, facts: facts, predictions: predictions,
            traits: p.traits.keys.sorted().map { Pair(key: $0, value: Self.short(p.traits[$0]!)) },
            computed: computed, segments: d.segments,
            stays: d.stageHistory.map { Stay(stage: stageNames[$0.stage] ?? $0.stage, entered: DashboardFormat.time($0.enteredAt, zone: zone),
                                             exited: $0.exitedAt.map { DashboardFormat.time($0, zone: zone) } ?? "now") },
            messages: messages, consents: consents, timeline: timeline, nextPage: next)
    }

    /// Computed values for people: times as dates, product lists as names and prices.
    static func readable(key: String, _ value: JSONValue, zone: TimeZone) -> String {
        if key.hasSuffix("Seen") || key.hasSuffix("At"), let ms = value.intValue { return DashboardFormat.time(ms, zone: zone) }
        if case .array(let items) = value, items.allSatisfy({ $0["productId"] != nil }) {
            return items.map { item in
                let name = item["name"]?.stringValue ?? item["productId"]?.scalarText ?? "?"
                return item["price"]?.doubleValue.map { "\(name) (\(DashboardFormat.money($0)))" } ?? name
            }.joined(separator: ", ")
        }
        return short(value)
    }

    /// A value as one line: strings bare, everything else as JSON, cut at `limit` characters.
    static func short(_ value: JSONValue, limit: Int = 160) -> String {
        let text = value.stringValue ?? value.jsonText
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}
