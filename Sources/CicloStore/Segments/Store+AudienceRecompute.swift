import CicloCore
import Foundation
import SQLKit

/// What a full recompute changed.
public struct RecomputeReport: Sendable, Codable, Equatable {
    public var segments: [String: SegmentDelta] = [:]
    public var stageChanges = 0
    public var personaChanges = 0
    public var seconds = 0.0

    /// Entries and exits of one segment.
    public struct SegmentDelta: Sendable, Codable, Equatable {
        public var members: Int
        public var entered: Int
        public var exited: Int
    }
}

extension Store {
    /// Recomputes every segment, stage and persona of a workspace from scratch, set-based in the database, and
    /// applies the differences with their derived events. Reads run beside other writers; writes go in chunks.
    public func recomputeAudience(workspaceId: Int64, onlySegments keys: Set<String>? = nil) async throws -> RecomputeReport {
        let started = ContinuousClock.now
        let (plan, ids) = try await audiencePlan(workspaceId: workspaceId)
        try await prepareDerivedEvents()
        var report = RecomputeReport()
        for segment in plan.independentSegments where keys?.contains(segment.key) ?? true {
            report.segments[segment.key] = try await recomputeSegment(workspaceId: workspaceId, segment, id: ids[segment.key]!)
        }
        if keys == nil {
            (report.stageChanges, report.personaChanges) = try await recomputeLifecycle(workspaceId: workspaceId, plan: plan)
        }
        for segment in plan.lifecycleSegments where keys?.contains(segment.key) ?? true {
            report.segments[segment.key] = try await recomputeSegment(workspaceId: workspaceId, segment, id: ids[segment.key]!)
        }
        let elapsed = ContinuousClock.now - started
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }

    /// One segment: the new member set by one query, the current one by another, the difference written in chunks.
    func recomputeSegment(workspaceId: Int64, _ segment: SegmentDefinition, id segmentId: Int64) async throws -> RecomputeReport.SegmentDelta {
        let now = self.now
        let compiler = ConditionSQL(dialect: dialect, workspaceId: workspaceId, now: now)
        let (target, current) = try await database.read { session in
            let target = Set(try await session.sql.raw(compiler.selectProfileIds(segment.condition)).all()
                .map { try $0.decode(column: "id", as: Int64.self) })
            let current = Set(try await session.sql.raw("SELECT profile_id FROM segment_members WHERE segment_id = \(bind: segmentId)").all()
                .map { try $0.decode(column: "profile_id", as: Int64.self) })
            return (target, current)
        }
        let add = target.subtracting(current).sorted(), remove = current.subtracting(target).sorted()
        var entered = 0, exited = 0
        for chunk in add.chunked(into: 10_000) {
            entered += try await database.write(priority: .background) { session in
                let inserted = try await session.sql.raw("""
                    INSERT INTO segment_members (workspace_id, segment_id, profile_id, entered_at)
                    SELECT \(bind: workspaceId), \(bind: segmentId), p.id, \(bind: now) FROM profiles p
                    WHERE p.id IN (\(binds: chunk)) AND p.merged_into IS NULL ON CONFLICT DO NOTHING RETURNING profile_id
                    """).all().map { try $0.decode(column: "profile_id", as: Int64.self) }
                try await Self.segmentEvents(session, "Segment Entered", inserted, segment.key, segmentId, workspaceId, now)
                try await session.sql.raw("UPDATE segments SET member_count = member_count + \(bind: inserted.count) WHERE id = \(bind: segmentId)").run()
                return inserted.count
            }
        }
        for chunk in remove.chunked(into: 10_000) {
            exited += try await database.write(priority: .background) { session in
                let deleted = try await session.sql.raw("""
                    DELETE FROM segment_members WHERE segment_id = \(bind: segmentId) AND profile_id IN (\(binds: chunk)) RETURNING profile_id
                    """).all().map { try $0.decode(column: "profile_id", as: Int64.self) }
                try await Self.segmentEvents(session, "Segment Exited", deleted, segment.key, segmentId, workspaceId, now)
                try await session.sql.raw("UPDATE segments SET member_count = member_count - \(bind: deleted.count) WHERE id = \(bind: segmentId)").run()
                return deleted.count
            }
        }
        try await database.write(priority: .background) { session in
            try await session.sql.raw("""
                UPDATE segments SET computed_at = \(bind: now),
                member_count = (SELECT COUNT(*) FROM segment_members WHERE segment_id = \(bind: segmentId)) WHERE id = \(bind: segmentId)
                """).run()
        }
        return .init(members: target.count, entered: entered, exited: exited)
    }

    static func segmentEvents(_ session: DatabaseSession, _ name: String, _ profiles: [Int64], _ key: String, _ segmentId: Int64,
                              _ workspaceId: Int64, _ now: Int64) async throws {
        guard !profiles.isEmpty else { return }
        _ = try await EventLogWriter(session: session).append(profiles.map {
            Event.derived(name, workspaceId: workspaceId, profileId: $0,
                          properties: ["segment_key": .string(key), "segment_id": .int(segmentId)], at: now, key: "\(name)|\($0)|\(key)")
        })
    }

    /// Stage and persona for everyone: one query with a CASE per stage and persona, then the changes in chunks.
    func recomputeLifecycle(workspaceId: Int64, plan: AudiencePlan) async throws -> (Int, Int) {
        let now = self.now
        let compiler = ConditionSQL(dialect: dialect, workspaceId: workspaceId, now: now)
        var select: SQLQueryString = "SELECT p.id, p.stage, p.persona, "
        if let model = plan.model, let first = model.stages.first {
            select += "CASE"
            for stage in model.stages.reversed() { select += " WHEN " + compiler.predicate(stage.condition) + " THEN \(bind: stage.key)" }
            select += " ELSE \(bind: first.key) END AS new_stage, "
        } else {
            select += "p.stage AS new_stage, "
        }
        let personas = plan.personas.sorted { ($0.priority, $0.key) < ($1.priority, $1.key) }
        if personas.isEmpty {
            select += "NULL AS new_persona"
        } else {
            select += "CASE"
            for persona in personas { select += " WHEN " + compiler.predicate(persona.condition) + " THEN \(bind: persona.key)" }
            select += " ELSE NULL END AS new_persona"
        }
        select += " FROM profiles p WHERE p.workspace_id = \(bind: workspaceId) AND p.merged_into IS NULL"
        let query = select
        let (changes, tally) = try await database.read { session in
            var tally: [AudienceCell: Int] = [:]
            let changes = try await session.sql.raw(query).all().compactMap { row -> StandingChange? in
                let stage = try row.decode(column: "stage", as: String?.self)
                let persona = try row.decode(column: "persona", as: String?.self)
                let newStage = try row.decode(column: "new_stage", as: String?.self)
                let newPersona = try row.decode(column: "new_persona", as: String?.self)
                tally[AudienceCell(stage: newStage, persona: newPersona), default: 0] += 1
                guard stage != newStage || persona != newPersona else { return nil }
                return StandingChange(profileId: try row.decode(column: "id", as: Int64.self), segmentsBefore: [], stageBefore: stage,
                                      personaBefore: persona,
                                      after: .init(segments: [], stage: newStage, persona: newPersona, changesAt: nil))
            }
            return (changes, tally)
        }
        for chunk in changes.chunked(into: 5_000) {
            try await database.write(priority: .background) { session in
                var writer = StandingWriter(session: session, workspaceId: workspaceId, segmentIds: [:], now: now)
                writer.manageRechecks = false
                try await writer.write(chunk)
            }
        }
        // The reconcile's tally is exact: it corrects any drift of the live counts.
        try await database.write(priority: .background) { session in try await Self.replaceAudienceCounts(tally, workspaceId: workspaceId, in: session) }
        return (changes.count(where: \.stageChanged), changes.count(where: \.personaChanged))
    }

    /// Makes sure derived events have a partition to go to (PostgreSQL), whichever month of the history they are dated in.
    public func prepareDerivedEvents() async throws {
        guard dialect == .postgres else { return }
        let partitions = database.eventPartitions
        let now = self.now
        try await database.read { session in
            guard case .postgres(let connection) = session.native else { return }
            // Derived events are dated in event time (a stage entered with a 2015 order is dated 2015, a lapse when it
            // lapsed), so every month from the oldest event on must have its partition: one created later would
            // collide with rows the default partition took meanwhile.
            let oldest = try await session.sql.raw("SELECT MIN(timestamp) AS t FROM events").first()?.decode(column: "t", as: Int64?.self)
            try await partitions.ensure(months: EventPartitions.everyMonth(from: oldest ?? now, through: now + 32 * 86_400_000),
                                        on: connection, logger: database.logger)
        }
    }
}
