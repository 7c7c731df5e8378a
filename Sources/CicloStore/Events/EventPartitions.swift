import CicloCore
import Foundation
import PostgresNIO
import Synchronization

/// Monthly partitions of the PostgreSQL event log, created before events of a new month are written.
final class EventPartitions: Sendable {
    private let known = Mutex<Set<Int>>([])

    /// Creates any missing partition for the months of `timestamps` (ms). Rows outside 2000-2100 go to the default partition.
    func ensure(months timestamps: some Sequence<Int64>, on connection: PostgresConnection, logger: Logger) async throws {
        let months = Set(timestamps.map(Self.monthIndex)).filter { $0 >= 2000 * 12 && $0 < 2100 * 12 }
        let missing = known.withLock { months.subtracting($0) }
        for month in missing.sorted() {
            let (start, end) = Self.bounds(month)
            let name = String(format: "events_p%04d%02d", month / 12, month % 12 + 1)
            do {
                try await connection.query(PostgresQuery(unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(name) PARTITION OF events FOR VALUES FROM (\(start)) TO (\(end))
                    """), logger: logger)
            } catch {
                // Another process may have created it a moment ago; anything else is real.
                let exists = try await connection.query(
                    "SELECT 1 FROM pg_class WHERE relname = \(name)", logger: logger
                ).collect().count > 0
                if !exists { throw error }
            }
            _ = known.withLock { $0.insert(month) }
        }
    }

    /// Every month from the one holding `from` through the one holding `through` (ms), each a timestamp in it.
    static func everyMonth(from: Int64, through: Int64) -> [Int64] {
        let first = max(monthIndex(from), 2000 * 12), last = min(monthIndex(through), 2100 * 12 - 1)
        guard first <= last else { return [] }
        return (first...last).map { bounds($0).0 }
    }

    /// Months since year 0 of a UTC timestamp in ms.
    static func monthIndex(_ ms: Int64) -> Int {
        let days = Int(ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000)
        let (y, m, _) = ISO8601.civilFromDays(days)
        return y * 12 + (m - 1)
    }

    /// The first ms of a month and of the next.
    static func bounds(_ month: Int) -> (Int64, Int64) {
        let y = month / 12, m = month % 12 + 1
        let start = Int64(ISO8601.daysFromCivil(year: y, month: m, day: 1)) * 86_400_000
        let next = month + 1
        let end = Int64(ISO8601.daysFromCivil(year: next / 12, month: next % 12 + 1, day: 1)) * 86_400_000
        return (start, end)
    }
}
