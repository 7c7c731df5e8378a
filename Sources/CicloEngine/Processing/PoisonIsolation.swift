import CicloCore
import CicloStore
import Foundation
import Logging
import Metrics

/// How a background consumer gets past one item that fails on its own (a poison event, a broken enrolment) instead
/// of retrying into it forever: when a batch fails, ever smaller prefixes are tried; when the very next item fails
/// alone three times in a row while the database takes writes, it is set aside with its error and the consumer
/// moves on. A failure that is not the item's (the database is down, another process got there) is rethrown.
struct PoisonIsolation {
    let store: Store
    let logger: Logger
    let stage: ProcessingDeadLetter.Stage
    let budget: SetAsideBudget

    /// Runs `attempt(limit)`; on failure, isolates and `setAside`s the item at the head of the queue. Returns what
    /// `attempt` returned (how many items it covered), or 1 for an item set aside.
    func run(limit: Int, _ attempt: @Sendable (Int) async throws -> Int, setAside: @Sendable (any Error) async throws -> Bool) async throws -> Int {
        do {
            return try await attempt(limit)
        } catch {
            guard !Self.isTransient(error) else { throw Self.unwrapped(error) }
            logger.warning("a batch failed; looking for the item that fails it", metadata: ["stage": "\(stage.rawValue)", "error": "\(error)"])
        }
        var size = limit / 2
        while size >= 1 {
            do {
                return try await attempt(size)
            } catch {
                guard !Self.isTransient(error) else { throw Self.unwrapped(error) }
                size = size == 1 ? 0 : size / 2
            }
        }
        var last: (any Error)?
        for _ in 0..<3 {
            do {
                return try await attempt(1)
            } catch {
                guard !Self.isTransient(error) else { throw Self.unwrapped(error) }
                last = error
            }
        }
        guard let last, await store.acceptsWrites() else { throw last.map(Self.unwrapped) ?? CicloError(.unavailable, code: "database_unavailable", "The database takes no writes.") }
        // Many items failing one after another is a fault of the step, not of the items: stop, keep them, and say so.
        guard await budget.spend() else {
            logger.critical("items keep failing one after another; processing stops here until the fault is fixed",
                            metadata: ["stage": "\(stage.rawValue)", "error": "\(last)"])
            throw Self.unwrapped(last)
        }
        guard try await setAside(last) else { return 0 }
        logger.error("an item failed on its own and was set aside", metadata: ["stage": "\(stage.rawValue)", "error": "\(last)"])
        Counter(label: "ciclo_dead_letters_total", dimensions: [("stage", stage.rawValue)]).increment()
        return 1
    }

    /// The error an attempt threw, without the `BatchFailure` around it.
    static func unwrapped(_ error: any Error) -> any Error { (error as? BatchFailure)?.underlying ?? error }

    /// Errors that say nothing about the item: cancellation, a concurrent writer, an unavailable database.
    static func isTransient(_ error: any Error) -> Bool {
        if let failure = error as? BatchFailure { return isTransient(failure.underlying) }
        if error is CancellationError { return true }
        if let ciclo = error as? CicloError {
            return ciclo.kind == .unavailable || ciclo.code == "profile_cursor_moved"
        }
        return false
    }
}

/// How many items a consumer may set aside in a window: beyond it, failures are treated as the step's own.
actor SetAsideBudget {
    let limit: Int
    let window: Duration
    private var spent: [ContinuousClock.Instant] = []

    init(limit: Int = 20, window: Duration = .seconds(600)) {
        self.limit = limit
        self.window = window
    }

    /// Takes one from the budget; false when it is used up for now.
    func spend() -> Bool {
        let now = ContinuousClock.now
        spent.removeAll { now - $0 > window }
        guard spent.count < limit else { return false }
        spent.append(now)
        return true
    }
}

/// A failed attempt with what it was working on, so the item set aside is the one that failed and not whichever is
/// next by the time the decision is made (another process may have moved on meanwhile).
struct BatchFailure: Error, CustomStringConvertible {
    /// The version of the consumer's cursor the attempt started from (profiles).
    var cursorVersion: Int64?
    /// The workspace of the items, where they are named by workspace and id (journeys).
    var workspaceId: Int64?
    /// The items the attempt held (journeys: the enrolments it claimed).
    var items: [Int64] = []
    var underlying: any Error
    var description: String { "\(underlying)" }
}
