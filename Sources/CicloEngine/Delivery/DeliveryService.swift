import AsyncHTTPClient
import CicloCore
import CicloStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Takes messages from the outbox and hands them to their channel: queued → sending → sent, failed or suppressed.
/// Consent, suppression, caps and quiet hours are checked again at send time; transient failures retry with backoff.
public actor DeliveryService: Service {
    let store: Store
    let settings: ChannelSettings
    let clock: any CicloClock
    let logger: Logger
    let concurrency: Int
    let mailer: SMTPMailer?
    let http: HTTPClient
    let composer: MessageComposer
    let maxAttempts = 6

    public init(store: Store, settings: ChannelSettings, clock: any CicloClock = SystemClock(),
                logger: Logger = Logger(label: "ciclo.delivery"), concurrency: Int = 8) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.concurrency = concurrency
        self.mailer = settings.smtp.map { SMTPMailer($0) }
        self.http = HTTPClient.shared
        self.composer = MessageComposer(publicURL: settings.publicURL)
    }

    public func run() async throws {
        do {
            let lost = try await store.markLostDeliveries(olderThan: 5 * 60_000)
            if lost > 0 { logger.warning("messages left in flight by a previous run are marked unknown", metadata: ["count": "\(lost)"]) }
        } catch {
            logger.error("could not mark messages left in flight by a previous run", metadata: ["error": "\(error)"])
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var done = 0
                do {
                    done = try await self.deliverDue()
                } catch is CancellationError {
                } catch {
                    self.logger.error("delivery failed; retrying", metadata: ["error": "\(error)"])
                }
                if done == 0 { try? await Task.sleep(for: .milliseconds(200)) }
            }
        }
        await mailer?.shutdown()
    }

    /// Delivers one batch of due messages; returns how many it handled.
    @discardableResult
    public func deliverDue(limit: Int = 50) async throws -> Int {
        let batch = try await store.claimDeliveries(limit: limit)
        guard !batch.isEmpty else { return 0 }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for delivery in batch {
                if running >= concurrency { await group.next(); running -= 1 }
                group.addTask { await self.deliver(delivery) }
                running += 1
            }
        }
        return batch.count
    }

    func deliver(_ delivery: Delivery) async {
        do {
            let outcome = try await attempt(delivery)
            try await record(delivery, outcome)
        } catch {
            logger.error("delivery failed", metadata: ["message": "\(delivery.id)", "error": "\(error)"])
            do {
                try await record(delivery, .retry("\(error)"))
            } catch {
                // The message stays `sending`; the start-up sweep marks it unknown rather than sending it twice.
                logger.error("could not record a failed delivery", metadata: ["message": "\(delivery.id)", "error": "\(error)"])
            }
        }
    }
}
