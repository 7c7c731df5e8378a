import CicloCore
import CicloStore
import Foundation
import Synchronization

/// Remembers recent write-key and admin-token look-ups for a few seconds, so each request does not hit the database.
public final class CredentialCache: Sendable {
    private struct Entry<T: Sendable>: Sendable {
        var value: T
        var expires: ContinuousClock.Instant
    }

    private let store: Store
    private let ttl: Duration
    private let sources = Mutex<[String: Entry<Source>]>([:])
    private let tokens = Mutex<[String: Entry<Workspace>]>([:])

    /// Creates a cache; positive answers live for `ttl`, negative ones are never cached.
    public init(store: Store, ttl: Duration = .seconds(5)) {
        self.store = store
        self.ttl = ttl
    }

    /// The enabled source of a write key, or nil.
    public func source(writeKey: String) async throws -> Source? {
        let now = ContinuousClock.now
        if let hit = sources.withLock({ $0[writeKey] }), hit.expires > now { return hit.value }
        guard let found = try await store.source(writeKey: writeKey) else {
            sources.withLock { _ = $0.removeValue(forKey: writeKey) }
            return nil
        }
        sources.withLock { $0[writeKey] = Entry(value: found, expires: now + ttl) }
        return found
    }

    /// The workspace of an admin token, or nil.
    public func workspace(adminToken: String) async throws -> Workspace? {
        let now = ContinuousClock.now
        if let hit = tokens.withLock({ $0[adminToken] }), hit.expires > now { return hit.value }
        guard let found = try await store.workspace(adminToken: adminToken) else { return nil }
        tokens.withLock { $0[adminToken] = Entry(value: found, expires: now + ttl) }
        return found
    }

    /// Forgets everything, after keys change in this process.
    public func invalidate() {
        sources.withLock { $0.removeAll() }
        tokens.withLock { $0.removeAll() }
    }
}
