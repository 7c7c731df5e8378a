import CicloCore
import Foundation
import SQLKit

/// A journey's numbers: per-step outcomes, people waiting at each step, and conversions by split arm.
public struct JourneyStats: Sendable, Codable {
    public var entered: Int
    public var active: Int
    public var converted: Int
    public var revenue: Double
    /// step → outcome → count.
    public var steps: [String: [String: Int]]
    /// step → people there now.
    public var waiting: [String: Int]
    /// arm → entered, converted, revenue.
    public var arms: [String: ArmStats]

    public struct ArmStats: Sendable, Codable {
        public var enrolments: Int
        public var converted: Int
        public var revenue: Double
    }
}

extension Store {
    /// The numbers of one journey.
    public func journeyStats(journeyId: Int64) async throws -> JourneyStats {
        try await database.read { session in
            var steps: [String: [String: Int]] = [:]
            for row in try await session.sql.raw("""
                SELECT step, outcome, COUNT(*) AS n FROM journey_transitions WHERE journey_id = \(bind: journeyId) GROUP BY step, outcome
                """).all() {
                steps[try row.decode(column: "step", as: String.self), default: [:]][try row.decode(column: "outcome", as: String.self)] =
                    try row.decode(column: "n", as: Int.self)
            }
            // A message step's outcomes are its messages' states in the outbox, the one record of what happened to a
            // message (the same the message log and the delivery metrics read): queued, sent, failed, suppressed, unknown.
            for row in try await session.sql.raw("""
                SELECT step, CASE WHEN status = 'sending' THEN 'queued' ELSE status END AS state, COUNT(*) AS n FROM outbox
                WHERE journey_id = \(bind: journeyId) AND step IS NOT NULL GROUP BY 1, 2
                """).all() {
                let step = try row.decode(column: "step", as: String.self)
                steps[step, default: [:]]["messaged"] = nil
                steps[step, default: [:]][try row.decode(column: "state", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self)
            }
            var waiting: [String: Int] = [:]
            for row in try await session.sql.raw("""
                SELECT step, COUNT(*) AS n FROM enrolments WHERE journey_id = \(bind: journeyId) AND state = 'active' GROUP BY step
                """).all() { waiting[try row.decode(column: "step", as: String.self)] = try row.decode(column: "n", as: Int.self) }
            var arms: [String: JourneyStats.ArmStats] = [:]
            for row in try await session.sql.raw("""
                SELECT COALESCE(e.arm, '') AS arm, COUNT(*) AS n, COUNT(c.enrolment_id) AS converted, COALESCE(SUM(c.revenue), 0) AS revenue
                FROM enrolments e LEFT JOIN journey_conversions c ON c.enrolment_id = e.id
                WHERE e.journey_id = \(bind: journeyId) GROUP BY COALESCE(e.arm, '')
                """).all() {
                arms[try row.decode(column: "arm", as: String.self)] = .init(
                    enrolments: try row.decode(column: "n", as: Int.self), converted: try row.decode(column: "converted", as: Int.self),
                    revenue: try row.decode(column: "revenue", as: Double.self))
            }
            return JourneyStats(entered: arms.values.reduce(0) { $0 + $1.enrolments }, active: waiting.values.reduce(0, +),
                                converted: arms.values.reduce(0) { $0 + $1.converted }, revenue: arms.values.reduce(0) { $0 + $1.revenue },
                                steps: steps, waiting: waiting, arms: arms)
        }
    }

    /// The events a dry run replays (those with the given names, of resolved people, since `since`) and those people.
    public func simulationInput(workspaceId: Int64, names: Set<String>, since: Int64) async throws -> ([Event], [Int64: Profile]) {
        guard !names.isEmpty else { return ([], [:]) }
        return try await database.read { session in
            let events = try await NativeEventReader.events(session, """
                SELECT \(unsafeRaw: EventRow.selectColumns(session.dialect)) FROM \(unsafeRaw: session.dialect.events(.byName))
                WHERE workspace_id = \(bind: workspaceId) AND event IN (\(binds: names.sorted())) AND timestamp >= \(bind: since)
                AND profile_id IS NOT NULL ORDER BY timestamp, id LIMIT 2000000
                """)
            let ids = Array(Set(events.compactMap(\.profileId)))
            var profiles: [Int64: Profile] = [:]
            for chunk in ids.chunked(into: 500) {
                for profile in try await Store.profiles(in: session, workspaceId: workspaceId, ids: chunk) { profiles[profile.id] = profile }
            }
            return (events, profiles)
        }
    }
}

extension Store {
    /// Recent outbox messages, newest first, as JSON for the admin API.
    public func outboxMessages(workspaceId: Int64, profileId: Int64?, status: String?, limit: Int) async throws -> [JSONValue] {
        try await database.read { session in
            var sql: SQLQueryString = """
                SELECT o.id, o.profile_id, o.channel, o.template, o.status, o.step, o.arm, o.attempts, o.error, o.created_at, o.sent_at,
                j.key AS journey FROM outbox o LEFT JOIN journeys j ON j.id = o.journey_id WHERE o.workspace_id = \(bind: workspaceId)
                """
            if let profileId { sql += " AND o.profile_id = \(bind: profileId)" }
            if let status { sql += " AND o.status = \(bind: status)" }
            sql += " ORDER BY o.id DESC LIMIT \(bind: limit)"
            return try await session.sql.raw(sql).all().map { row in
                ["id": .int(try row.decode(column: "id", as: Int64.self)), "profileId": .int(try row.decode(column: "profile_id", as: Int64.self)),
                 "channel": .string(try row.decode(column: "channel", as: String.self)),
                 "template": .string(try row.decode(column: "template", as: String.self)),
                 "status": .string(try row.decode(column: "status", as: String.self)),
                 "journey": (try row.decode(column: "journey", as: String?.self)).map(JSONValue.string) ?? .null,
                 "step": (try row.decode(column: "step", as: String?.self)).map(JSONValue.string) ?? .null,
                 "arm": (try row.decode(column: "arm", as: String?.self)).map(JSONValue.string) ?? .null,
                 "attempts": .int(Int64(try row.decode(column: "attempts", as: Int.self))),
                 "error": (try row.decode(column: "error", as: String?.self)).map(JSONValue.string) ?? .null,
                 "createdAt": .string(ISO8601.format(Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))),
                 "sentAt": (try row.decode(column: "sent_at", as: Int64?.self)).map { .string(ISO8601.format(Date(epochMilliseconds: $0))) } ?? .null]
            }
        }
    }
}

extension Store {
    /// The highest outbox id so far (for benchmarks that look at what came after).
    public func outboxHighWater() async throws -> Int64 {
        try await database.read { session in
            try await session.sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM outbox").first()?.decode(column: "id", as: Int64.self) ?? 0
        }
    }

    /// For messages queued after `afterOutboxId`, the ms from their enrolment's triggering event's arrival to the message.
    public func triggerToOutboxDelays(workspaceId: Int64, afterOutboxId: Int64, triggerEvent: String) async throws -> [Int64] {
        try await database.read { session in
            try await session.sql.raw("""
                SELECT o.created_at - en.entered_at AS queued, en.entered_at - (
                    SELECT MAX(e.received_at) FROM events e WHERE e.workspace_id = o.workspace_id AND e.profile_id = o.profile_id
                    AND e.event = \(bind: triggerEvent) AND e.received_at <= en.entered_at) AS enrolled
                FROM outbox o JOIN enrolments en ON en.id = o.enrolment_id
                WHERE o.workspace_id = \(bind: workspaceId) AND o.id > \(bind: afterOutboxId)
                """).all().compactMap { row in
                guard let enrolled = try row.decode(column: "enrolled", as: Int64?.self) else { return nil }
                return enrolled + (try row.decode(column: "queued", as: Int64.self))
            }
        }
    }
}
