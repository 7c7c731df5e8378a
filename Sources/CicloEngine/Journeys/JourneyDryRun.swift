import CicloCore
import CicloStore
import Foundation

/// `ciclo journey simulate` and its API: replays the last days of real events through a definition, sending nothing.
public struct JourneyDryRun: Sendable {
    let store: Store
    let clock: any CicloClock

    public init(store: Store, clock: any CicloClock = SystemClock()) {
        self.store = store
        self.clock = clock
    }

    public func simulate(_ definition: JourneyDefinition, workspaceId: Int64, days: Int) async throws -> JourneySimulation {
        guard (1...365).contains(days) else { throw CicloError.badRequest("invalid_days", "days must be from 1 to 365.") }
        let now = clock.now().epochMilliseconds
        var names = definition.referencedEventNames
        switch definition.trigger {
        case .event(let match): names.insert(match.name)
        case .segmentEntered, .segmentExited: names.formUnion(["Segment Entered", "Segment Exited"])
        case .stageEntered: names.insert("Lifecycle Stage Changed")
        default: break
        }
        if case .event(let match, _, _)? = definition.goal { names.insert(match.name) }
        let (events, profiles) = try await store.simulationInput(workspaceId: workspaceId, names: names, since: now - Int64(days) * 86_400_000)
        let workspace = try await store.workspace(id: workspaceId)
        let simulator = JourneySimulator(definition: definition, rules: try await store.journeyRules(workspaceId: workspaceId),
                                         secret: workspace.secret)
        return simulator.run(events: events, profiles: profiles, end: now)
    }
}
