import CicloCore
import CicloStore
import Foundation
import Synchronization

/// Samples profile processing lag (the age of the oldest event not yet applied) once a second while a load step runs.
final class LagWatch: Sendable {
    let store: Store
    let workspaceId: Int64
    private let worst = Mutex<Double>(0)

    init(store: Store, workspaceId: Int64) {
        self.store = store
        self.workspaceId = workspaceId
    }

    /// Samples until cancelled.
    func sample() async throws {
        while !Task.isCancelled {
            let lag = try await store.profileLag(workspaceId: workspaceId)
            worst.withLock { $0 = max($0, lag.seconds) }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// The worst lag sampled, and the lag now (which also counts towards the worst).
    func finish() async throws -> (worst: Double, end: Double, endEvents: Int) {
        let lag = try await store.profileLag(workspaceId: workspaceId)
        let worst = worst.withLock { $0 = max($0, lag.seconds); return $0 }
        return (worst, lag.seconds, lag.events)
    }

    /// Waits until the lag is under `seconds`, so the next step starts from a server that has caught up.
    func drain(below seconds: Double, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while try await store.profileLag(workspaceId: workspaceId).seconds >= seconds {
            guard ContinuousClock.now < deadline else {
                throw CicloError(.unavailable, code: "lag_not_drained", "Processing did not catch up within \(limit) after a sustained step.")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
