import CicloCore
import CicloStore
import Foundation

/// Saving journeys, one use case for the admin API, the dashboard and the CLI: a definition is checked against what
/// the server may actually do (every webhook URL against the egress policy) before a new version is stored, so a
/// journey that could only ever fail is refused when saved, with the step named, not at its first delivery.
public struct JourneyLibrary: Sendable {
    let store: Store
    let egress: EgressPolicy

    public init(store: Store, egress: EgressPolicy) {
        self.store = store
        self.egress = egress
    }

    /// Checks `definition` and stores it as the journey's next version.
    @discardableResult
    public func save(workspaceId: Int64, _ definition: JourneyDefinition) async throws -> JourneyRecord {
        for (name, step) in definition.steps.sorted(by: { $0.key < $1.key }) {
            if case .webhook(let url, _) = step.action, let reason = egress.refusal(url) {
                throw CicloError.badRequest("invalid_journey", "steps.\(name): the webhook URL is refused: \(reason).")
            }
        }
        return try await store.saveJourney(workspaceId: workspaceId, definition)
    }
}
