import CicloCore
import CicloStore
import Foundation
import Synchronization

/// Next best content for a person, and the coverage matrix, from the library, the person's stage and persona, what
/// they saw and converted on, and how each item performs by stage and persona (cached for a few minutes, since it
/// aggregates every impression).
public struct ContentAdvisor: Sendable {
    let store: Store
    /// Items shown to a person within this period are not shown again.
    public var coolDown: Int64 = 7 * 86_400_000
    let cache = PerformanceCache()
    static let cacheLife: Int64 = 300_000

    /// Each advisor keeps its own cache; the server holds one advisor for its lifetime.
    final class PerformanceCache: Sendable {
        let rows = Mutex<[Int64: (at: Int64, rows: [ContentPerformance])]>([:])
    }

    public init(store: Store) { self.store = store }

    /// The answer: the level of match used and the picks.
    public struct Advice: Sendable {
        public var level: NextBestContent.Level
        public var picks: [NextBestContent.Pick]
        public var stage: String?
        public var persona: String?
    }

    public func next(workspaceId: Int64, profileId: Int64?, limit: Int = 3) async throws -> Advice {
        guard (1...20).contains(limit) else { throw CicloError.badRequest("invalid_limit", "limit is 1 to 20.") }
        let now = store.clock.now().epochMilliseconds
        let items = try await store.contentItems(workspaceId: workspaceId)
        var stage: String?, persona: String?, lastShown: [String: Int64] = [:], converted = Set<String>()
        if let profileId, let (profile, _) = try await store.contact(workspaceId: workspaceId, profileId: profileId) {
            stage = profile.lifecycle.stage
            persona = profile.lifecycle.persona
            lastShown = try await store.contentLastShown(workspaceId: workspaceId, profileId: profileId)
            converted = Set(try await store.contentPerformance(workspaceId: workspaceId, profileId: profileId).filter { $0.conversions > 0 }.map(\.key))
        }
        let rows = try await performance(workspaceId: workspaceId, now: now)
        var cell: [String: ContentStats] = [:], overall: [String: ContentStats] = [:]
        for r in rows {
            overall[r.key, default: ContentStats(impressions: 0, conversions: 0)].impressions += r.impressions
            overall[r.key]!.conversions += r.conversions
            if r.stage == (stage ?? "none") && r.persona == (persona ?? "none") {
                cell[r.key, default: ContentStats(impressions: 0, conversions: 0)].impressions += r.impressions
                cell[r.key]!.conversions += r.conversions
            }
        }
        let choice = NextBestContent.choose(items: items, stage: stage, persona: persona, now: now, lastShown: lastShown, coolDown: coolDown,
                                            converted: converted, cellStats: cell, overallStats: overall, limit: limit)
        return Advice(level: choice.level, picks: choice.picks, stage: stage, persona: persona)
    }

    func performance(workspaceId: Int64, now: Int64) async throws -> [ContentPerformance] {
        if let hit = cache.rows.withLock({ $0[workspaceId] }), now - hit.at < Self.cacheLife, now >= hit.at { return hit.rows }
        let rows = try await store.contentPerformance(workspaceId: workspaceId, since: now - 180 * 86_400_000)
        cache.rows.withLock { $0[workspaceId] = (now, rows) }
        return rows
    }

    /// The coverage matrix over the workspace's lifecycle model and personas.
    public func coverage(workspaceId: Int64) async throws -> ContentCoverage {
        let model = try await store.lifecycleModel(workspaceId: workspaceId)
        let personas = try await store.personas(workspaceId: workspaceId).map(\.key)
        return ContentCoverage(items: try await store.contentItems(workspaceId: workspaceId), stages: model.stages.map(\.key),
                               personas: personas.isEmpty ? ["any"] : personas, now: store.clock.now().epochMilliseconds)
    }
}
