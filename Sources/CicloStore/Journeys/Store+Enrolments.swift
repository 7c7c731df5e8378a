import CicloCore
import Foundation
import SQLKit

extension Store {
    static func enrolmentColumns(_ dialect: Dialect, prefix: String = "") -> String {
        ["id", "journey_id", "version", "profile_id", "state", "step", "waiting", "wake_at", "wait_event", "wait_key", "arm", "control",
         "steps_run", "entered_at"].map { prefix + $0 }.joined(separator: ", ")
            + ", \(dialect.jsonText(prefix + "trigger_properties")) AS trigger_properties"
    }

    static func enrolment(_ row: any SQLRow) throws -> Enrolment {
        var e = Enrolment(id: try row.decode(column: "id", as: Int64.self), journeyId: try row.decode(column: "journey_id", as: Int64.self),
                          version: try row.decode(column: "version", as: Int.self), profileId: try row.decode(column: "profile_id", as: Int64.self),
                          step: try row.decode(column: "step", as: String.self),
                          trigger: (try? JSONValue.parse(try row.decode(column: "trigger_properties", as: String.self))) ?? [:],
                          enteredAt: try row.decode(column: "entered_at", as: Int64.self))
        e.state = Enrolment.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .active
        e.waiting = try row.decode(column: "waiting", as: Bool.self)
        e.wakeAt = try row.decode(column: "wake_at", as: Int64?.self)
        e.waitEvent = try row.decode(column: "wait_event", as: String?.self)
        e.waitKey = try row.decode(column: "wait_key", as: String?.self)
        e.arm = try row.decode(column: "arm", as: String?.self)
        e.control = try row.decode(column: "control", as: Bool.self)
        e.stepsRun = try row.decode(column: "steps_run", as: Int.self)
        return e
    }

    /// Active enrolments of these profiles (in any journey).
    public static func activeEnrolments(in session: DatabaseSession, workspaceId: Int64, profileIds: [Int64]) async throws -> [Enrolment] {
        var result: [Enrolment] = []
        for chunk in profileIds.chunked(into: 1_000) {
            result += try await session.sql.raw("""
                SELECT \(unsafeRaw: enrolmentColumns(session.dialect)) FROM enrolments
                WHERE workspace_id = \(bind: workspaceId) AND profile_id IN (\(binds: chunk)) AND state = 'active'
                """).all().map(enrolment)
        }
        return result
    }

    /// When each profile last entered a journey (for entry frequency rules).
    public static func lastEntries(in session: DatabaseSession, journeyId: Int64, profileIds: [Int64]) async throws -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        for chunk in profileIds.chunked(into: 1_000) {
            for row in try await session.sql.raw("""
                SELECT profile_id, MAX(entered_at) AS at FROM enrolments WHERE journey_id = \(bind: journeyId) AND profile_id IN (\(binds: chunk))
                GROUP BY profile_id
                """).all() {
                result[try row.decode(column: "profile_id", as: Int64.self)] = try row.decode(column: "at", as: Int64.self)
            }
        }
        return result
    }

    /// Creates an enrolment at the journey's start step; nil when the profile already has an active one there.
    public static func enrol(in session: DatabaseSession, workspaceId: Int64, journeyId: Int64, version: Int, start: String,
                             profileId: Int64, trigger: JSONValue, now: Int64) async throws -> Enrolment? {
        let row = try await session.sql.raw("""
            INSERT INTO enrolments (workspace_id, journey_id, version, profile_id, state, step, wake_at, trigger_properties, entered_at, updated_at)
            VALUES (\(bind: workspaceId), \(bind: journeyId), \(bind: version), \(bind: profileId), 'active', \(bind: start), \(bind: now),
            \(bind: trigger.jsonText)\(unsafeRaw: session.dialect.jsonCast), \(bind: now), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { return nil }
        try await session.sql.raw("""
            INSERT INTO journey_transitions (workspace_id, journey_id, enrolment_id, profile_id, step, outcome, at)
            VALUES (\(bind: workspaceId), \(bind: journeyId), \(bind: id), \(bind: profileId), \(bind: start), 'entered', \(bind: now))
            """).run()
        return Enrolment(id: id, journeyId: journeyId, version: version, profileId: profileId, step: start, trigger: trigger, enteredAt: now)
    }

    /// Claims enrolments whose time has come, in active journeys; on PostgreSQL rows locked by another process are skipped.
    public static func claimDueEnrolments(in session: DatabaseSession, now: Int64, limit: Int) async throws -> [(workspaceId: Int64, enrolment: Enrolment)] {
        let lock = session.dialect == .postgres ? " FOR UPDATE OF e SKIP LOCKED" : ""
        return try await session.sql.raw("""
            SELECT e.workspace_id AS ws, \(unsafeRaw: enrolmentColumns(session.dialect, prefix: "e."))
            FROM enrolments e JOIN journeys j ON j.id = e.journey_id
            WHERE e.state = 'active' AND e.wake_at <= \(bind: now) AND j.status = 'active'
            ORDER BY j.priority DESC, e.wake_at LIMIT \(bind: limit)\(unsafeRaw: lock)
            """).all().map { (try $0.decode(column: "ws", as: Int64.self), try enrolment($0)) }
    }
}
