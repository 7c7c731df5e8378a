import CicloCore
import CicloStore
import Foundation

/// Advances enrolments inside a transaction: loads what the interpreter needs (definitions, profiles, histories,
/// memberships, recent messages for caps), runs it, and stores the results with the queued messages.
struct JourneyRunner: Sendable {
    let store: Store
    let definitions: JourneyDefinitionCache

    func run(in session: DatabaseSession, workspaceId: Int64, _ items: [(Enrolment, WakeReason)], now: Int64) async throws {
        guard !items.isEmpty else { return }
        var journeys: [Int64: (JourneyDefinition, Bool)] = [:]
        for (e, _) in items where journeys[e.journeyId] == nil {
            if let d = try await definitions.definition(journeyId: e.journeyId, version: e.version) { journeys[e.journeyId] = (d, d.transactional) }
        }
        let profileIds = Array(Set(items.map(\.0.profileId)))
        // Caps read the outbox and then write to it, so the caller holds these people's locks (`Store.serialisePeople`).
        let profiles = Dictionary(uniqueKeysWithValues: try await Store.profiles(in: session, workspaceId: workspaceId, ids: profileIds).map { ($0.id, $0) })
        var names = Set<String>()
        for (d, _) in journeys.values { names.formUnion(d.referencedEventNames) }
        let history = try await Store.relevantHistory(session, workspaceId: workspaceId, profileIds: profileIds, names: names)
        let segments = try await Store.memberships(session, workspaceId: workspaceId, profileIds: profileIds)
        let rules = try await store.journeyRules(workspaceId: workspaceId)
        let secret = try await store.workspace(id: workspaceId).secret
        let longest = rules.caps.map(\.window.milliseconds).max() ?? 0
        var sent = try await Store.recentMessages(in: session, workspaceId: workspaceId, profileIds: profileIds, since: now - longest)
        var stored: [StoredAdvance] = []
        // Higher-priority journeys go first, so when caps bind they win.
        let ordered = items.sorted { (journeys[$0.0.journeyId]?.0.priority ?? 0) > (journeys[$1.0.journeyId]?.0.priority ?? 0) }
        for (enrolment, reason) in ordered {
            guard let (definition, transactional) = journeys[enrolment.journeyId] else { continue }
            guard let profile = profiles[enrolment.profileId] else {
                // The person was erased or merged away; the enrolment ends.
                var gone = enrolment
                gone.state = .exited
                stored.append(StoredAdvance(advance: JourneyAdvance(enrolment: gone, context: JourneyContext(
                    now: now, profile: Profile(id: enrolment.profileId, workspaceId: workspaceId, createdAt: now))),
                    workspaceId: workspaceId, transactional: transactional))
                continue
            }
            let context = JourneyContext(now: now, profile: profile, history: history[profile.id] ?? [], segments: segments[profile.id] ?? [],
                                         rules: rules, heldOut: rules.inControlGroup(profileId: profile.id, secret: secret),
                                         sent: sent[profile.id] ?? [:])
            let advance = JourneyInterpreter.advance(enrolment, definition, reason: reason, context: context)
            sent[profile.id] = advance.context.sent
            stored.append(StoredAdvance(advance: advance, workspaceId: workspaceId, transactional: transactional))
        }
        try await Store.saveAdvances(in: session, stored, now: now)
    }
}

/// Journey definitions by id and version; versions never change once written, so they are cached for good.
actor JourneyDefinitionCache {
    let store: Store
    private var cache: [String: JourneyDefinition] = [:]

    init(store: Store) { self.store = store }

    func definition(journeyId: Int64, version: Int) async throws -> JourneyDefinition? {
        let key = "\(journeyId)/\(version)"
        if let hit = cache[key] { return hit }
        let found = try await store.journeyDefinition(journeyId: journeyId, version: version)
        cache[key] = found
        return found
    }
}

extension JourneyDefinition {
    /// Event names any condition, wait or goal of the journey looks at.
    var referencedEventNames: Set<String> {
        var names = Set<String>()
        for step in steps.values {
            switch step.action {
            case .branch(let branches, _): for b in branches { names.formUnion(b.condition.eventNames) }
            case .waitForEvent(let m, _, _, _, _): names.insert(m.name)
            default: break
            }
        }
        if let e = exitWhen { names.formUnion(e.eventNames) }
        if case .condition(let c)? = goal { names.formUnion(c.eventNames) }
        if let c = entry.condition { names.formUnion(c.eventNames) }
        return names
    }
}
