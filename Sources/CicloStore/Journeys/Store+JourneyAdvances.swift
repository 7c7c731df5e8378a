import CicloCore
import Foundation
import SQLKit

/// One advanced enrolment to store, with what the store needs to know about its journey.
public struct StoredAdvance: Sendable {
    public var advance: JourneyAdvance
    public var workspaceId: Int64
    public var transactional: Bool

    public init(advance: JourneyAdvance, workspaceId: Int64, transactional: Bool) {
        self.advance = advance
        self.workspaceId = workspaceId
        self.transactional = transactional
    }
}

extension Store {
    /// Writes advanced enrolments, their transitions, the messages they queue (the outbox: once per idempotency key),
    /// their trait updates and conversions, all inside the caller's transaction.
    public static func saveAdvances(in session: DatabaseSession, _ items: [StoredAdvance], now: Int64) async throws {
        guard !items.isEmpty else { return }
        try await BulkUpdate(table: "enrolments", columns: [
            ("id", .bigint), ("state", .text), ("step", .text), ("waiting", .bool), ("wake_at", .bigint), ("wait_event", .text),
            ("wait_key", .text), ("arm", .text), ("control", .bool), ("steps_run", .bigint), ("updated_at", .bigint),
            ("finished_at", .bigint), ("wake_event", .bigint),
        ], rows: items.map { item in
            let e = item.advance.enrolment
            return [.int(e.id), .text(e.state.rawValue), .text(e.step), .bool(e.waiting), .int(e.wakeAt), .text(e.waitEvent),
                    .text(e.waitKey), .text(e.arm), .bool(e.control), .int(Int64(e.stepsRun)), .int(now),
                    .int(e.state == .active ? nil : now), .int(nil)]
        }).run(in: session)
        var transitions: [[BulkValue]] = []
        var outbox: [[BulkValue]] = []
        var conversions: [[BulkValue]] = []
        for item in items {
            let e = item.advance.enrolment
            for t in item.advance.transitions {
                transitions.append([.int(item.workspaceId), .int(e.journeyId), .int(e.id), .int(e.profileId), .text(t.step),
                                    .text(t.outcome), .text(e.arm), .int(now)])
            }
            for effect in item.advance.effects {
                switch effect {
                case .message(let channel, let template, let step, let key):
                    outbox.append(outboxRow(item, e, channel: channel, template: template, step: step, key: key, now: now))
                case .webhook(let url, let step, let key):
                    outbox.append(outboxRow(item, e, channel: "webhook", template: url, step: step, key: key, now: now))
                case .updateTraits(let traits, _):
                    try await updateTraits(in: session, workspaceId: item.workspaceId, profileId: e.profileId, traits: traits, now: now)
                }
            }
            if e.state == .converted {
                conversions.append([.int(e.id), .int(item.workspaceId), .int(e.journeyId), .int(e.profileId), .text(e.arm), .double(0), .int(now)])
            }
        }
        try await BulkRows(table: "journey_transitions", columns: [
            ("workspace_id", .bigint), ("journey_id", .bigint), ("enrolment_id", .bigint), ("profile_id", .bigint), ("step", .text),
            ("outcome", .text), ("arm", .text), ("at", .bigint),
        ], rows: transitions).insert(in: session)
        try await BulkRows(table: "outbox", columns: [
            ("workspace_id", .bigint), ("profile_id", .bigint), ("journey_id", .bigint), ("enrolment_id", .bigint), ("step", .text),
            ("arm", .text), ("channel", .text), ("template", .text), ("transactional", .bool), ("idempotency_key", .text),
            ("status", .text), ("next_attempt_at", .bigint), ("payload", .json), ("created_at", .bigint), ("updated_at", .bigint),
        ], rows: outbox, suffix: "ON CONFLICT (idempotency_key) DO NOTHING").insert(in: session)
        try await BulkRows(table: "journey_conversions", columns: [
            ("enrolment_id", .bigint), ("workspace_id", .bigint), ("journey_id", .bigint), ("profile_id", .bigint), ("arm", .text),
            ("revenue", .double), ("at", .bigint),
        ], rows: conversions, suffix: "ON CONFLICT DO NOTHING").insert(in: session)
    }

    static func outboxRow(_ item: StoredAdvance, _ e: Enrolment, channel: String, template: String, step: String, key: String,
                          now: Int64) -> [BulkValue] {
        [.int(item.workspaceId), .int(e.profileId), .int(e.journeyId), .int(e.id), .text(step), .text(e.arm), .text(channel),
         .text(template), .bool(item.transactional), .text(key), .text("queued"), .int(now),
         .json(JSONValue.object(["trigger": e.trigger]).jsonText), .int(now), .int(now)]
    }

    /// Sets traits on a profile from inside a transaction (a journey's update step), bumping the processor's version
    /// so a batch computed from the old traits cannot overwrite them.
    public static func updateTraits(in session: DatabaseSession, workspaceId: Int64, profileId: Int64, traits: [String: JSONValue],
                                    now: Int64) async throws {
        guard var profile = try await profiles(in: session, workspaceId: workspaceId, ids: [profileId]).first else { return }
        profile.setTraits(.object(traits), at: now)
        try await BulkUpdate(table: "profiles", columns: [("id", .bigint), ("traits", .json), ("trait_times", .json), ("updated_at", .bigint)],
                             rows: [[.int(profileId), .json(JSONValue.object(profile.traits).jsonText),
                                     .json(JSONValue.object(profile.traitTimes.mapValues { .int($0) }).jsonText), .int(now)]]).run(in: session)
        try await checkAndLockCursor(session, workspaceId: workspaceId, expected: -1, now: now, bumpOnly: true)
        _ = try await EventLogWriter(session: session).append([Event.derived(
            "Traits Updated", workspaceId: workspaceId, profileId: profileId, properties: ["traits": .object(traits)], at: now,
            key: "traits|\(profileId)|\(JSONValue.object(traits).jsonText.hashValue)")])
    }

    /// Marks an enrolment converted by its goal event, with the revenue the event carried.
    public static func convert(in session: DatabaseSession, workspaceId: Int64, _ e: Enrolment, revenue: Double, now: Int64) async throws {
        let updated = try await session.sql.raw("""
            UPDATE enrolments SET state = 'converted', waiting = FALSE, wake_at = NULL, finished_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: e.id) AND state = 'active' RETURNING id
            """).all().count
        guard updated > 0 else { return }
        try await session.sql.raw("""
            INSERT INTO journey_transitions (workspace_id, journey_id, enrolment_id, profile_id, step, outcome, arm, at)
            VALUES (\(bind: workspaceId), \(bind: e.journeyId), \(bind: e.id), \(bind: e.profileId), \(bind: e.step), 'converted', \(bind: e.arm), \(bind: now))
            """).run()
        try await session.sql.raw("""
            INSERT INTO journey_conversions (enrolment_id, workspace_id, journey_id, profile_id, arm, revenue, at)
            VALUES (\(bind: e.id), \(bind: workspaceId), \(bind: e.journeyId), \(bind: e.profileId), \(bind: e.arm), \(bind: revenue), \(bind: now))
            ON CONFLICT DO NOTHING
            """).run()
    }

    /// Messages and times per channel for these profiles since `since`, for frequency caps.
    public static func recentMessages(in session: DatabaseSession, workspaceId: Int64, profileIds: [Int64], since: Int64) async throws -> [Int64: [String: [Int64]]] {
        var result: [Int64: [String: [Int64]]] = [:]
        for chunk in profileIds.chunked(into: 1_000) {
            for row in try await session.sql.raw("""
                SELECT profile_id, channel, created_at FROM outbox WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: chunk))
                AND created_at >= \(bind: since) AND transactional = FALSE AND status <> 'suppressed'
                """).all() {
                result[try row.decode(column: "profile_id", as: Int64.self), default: [:]][try row.decode(column: "channel", as: String.self), default: []]
                    .append(try row.decode(column: "created_at", as: Int64.self))
            }
        }
        return result
    }
}
