import CicloCore
import Foundation
import SQLKit

extension Store {
    /// Takes or renews the lease `name` for `holder` for `seconds`; true when `holder` now holds it.
    /// Several processes sharing a database use leases so one of them runs each singleton job.
    public func acquireLease(_ name: String, holder: String, seconds: Int) async throws -> Bool {
        let now = self.now
        let expires = now + Int64(seconds) * 1000
        return try await database.write { session in
            try await session.sql.raw("""
                INSERT INTO leases (name, holder, expires_at) VALUES (\(bind: name), \(bind: holder), \(bind: expires))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at < \(bind: now)
                """).run()
            let row = try await session.sql.raw("SELECT holder FROM leases WHERE name = \(bind: name)").first()
            return try row?.decode(column: "holder", as: String.self) == holder
        }
    }

    /// Gives up a lease early (on shutdown), so another process can take over at once.
    public func releaseLease(_ name: String, holder: String) async throws {
        try await database.write { session in
            try await session.sql.raw("DELETE FROM leases WHERE name = \(bind: name) AND holder = \(bind: holder)").run()
        }
    }

    /// Gives up every lease `holder` has (a service stopping gracefully), so another process, or this one restarted,
    /// resumes the work at once rather than after the lease runs out.
    public func releaseLeases(holder: String) async throws {
        try await database.write { session in
            try await session.sql.raw("DELETE FROM leases WHERE holder = \(bind: holder)").run()
        }
    }

    /// Who holds `name` now, if its lease has not run out.
    public func leaseHolder(_ name: String) async throws -> String? {
        let now = self.now
        return try await database.read { session in
            try await session.sql.raw("SELECT holder FROM leases WHERE name = \(bind: name) AND expires_at >= \(bind: now)").first()?
                .decode(column: "holder", as: String.self)
        }
    }
}
