import CicloCore
import Foundation
import PostgresKit

/// Serialises the transactions that read one person's state and then write it (frequency caps and the messages
/// they admit, enrolments, ledger entries), so two of them never both decide on the same stale read.
///
/// On PostgreSQL each person is a transaction-scoped advisory lock keyed by a 64-bit hash of workspace and profile,
/// taken in ascending key order so two transactions locking overlapping people cannot deadlock; it is released at
/// commit or rollback. Advisory locks were chosen over SERIALIZABLE with retries because these transactions also
/// write the event log and the outbox: a retry would repeat that work, while a lock only makes the second one wait
/// for the first and then read what it wrote (READ COMMITTED reads afresh at each statement). On SQLite the single
/// writer already serialises every write transaction, so nothing is taken.
extension Store {
    /// Takes the per-person locks for `profileIds` inside `session`'s transaction; call it before reading their state.
    public static func serialisePeople(in session: DatabaseSession, workspaceId: Int64, profileIds: some Sequence<Int64>) async throws {
        guard case .postgres(let connection) = session.native else { return }
        let keys = Array(Set(profileIds.map { personLockKey(workspaceId: workspaceId, profileId: $0) })).sorted()
        guard !keys.isEmpty else { return }
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(keys)
        // The ordered subquery makes the locks be taken one by one in key order.
        _ = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT k FROM unnest($1::bigint[]) AS k ORDER BY k) AS ordered
            """, binds: bindings), logger: connection.logger).collect()
    }

    /// Takes what it can of the per-person locks without waiting, for a transaction that already holds rows: the
    /// people it got (everyone on SQLite). Waiting there could deadlock with a transaction that locked the person first.
    public static func trySerialisePeople(in session: DatabaseSession, workspaceId: Int64, profileIds: [Int64]) async throws -> Set<Int64> {
        guard case .postgres(let connection) = session.native, !profileIds.isEmpty else { return Set(profileIds) }
        let people = Array(Set(profileIds)).sorted()
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(people.map { personLockKey(workspaceId: workspaceId, profileId: $0) })
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT k, pg_try_advisory_xact_lock(k) AS got FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, n) ORDER BY n
            """, binds: bindings), logger: connection.logger).collect()
        var got: Set<Int64> = []
        for (person, row) in zip(people, rows) where try row.decode((Int64, Bool).self).1 { got.insert(person) }
        return got
    }

    /// Serialises one kind of workspace-wide definition change (`"segments"`: the cycle and reference checks read every
    /// segment, then one is written) inside `session`'s transaction; a no-op on SQLite's single writer.
    public static func serialiseDefinitions(in session: DatabaseSession, _ kind: String, workspaceId: Int64) async throws {
        guard case .postgres(let connection) = session.native else { return }
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(lockKey(Array("definitions|\(kind)|".utf8) + bytes(workspaceId)))
        _ = try await connection.query(PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock($1)", binds: bindings), logger: connection.logger).collect()
    }

    /// The advisory lock key of one person: a stable hash, so every process agrees (a collision only makes two
    /// people wait for each other).
    public static func personLockKey(workspaceId: Int64, profileId: Int64) -> Int64 {
        lockKey(bytes(workspaceId) + bytes(profileId))
    }

    /// FNV-1a over `bytes`, as a signed advisory lock key; every lock of the store is keyed through it.
    static func lockKey(_ bytes: [UInt8]) -> Int64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int64(bitPattern: h)
    }

    static func bytes(_ value: Int64) -> [UInt8] {
        let bits = UInt64(bitPattern: value)
        return stride(from: 0, to: 64, by: 8).map { UInt8(truncatingIfNeeded: bits >> UInt64($0)) }
    }
}
