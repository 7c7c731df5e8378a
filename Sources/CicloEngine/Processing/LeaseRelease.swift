import CicloStore
import Foundation
import Logging

/// What a singleton service does as it stops gracefully: give its leases back, so the next holder starts at once.
enum LeaseRelease {
    static func giveUp(store: Store, holder: String, logger: Logger) async {
        // The stopping service's task is cancelled; an unstructured task is not, so the write is not cut short.
        let released = Task { try await store.releaseLeases(holder: holder) }
        do {
            try await released.value
        } catch {
            // Not fatal: the leases run out on their own; say so, since another node waits for them meanwhile.
            logger.warning("could not give leases back on stop; they expire on their own", metadata: ["error": "\(error)"])
        }
    }
}
