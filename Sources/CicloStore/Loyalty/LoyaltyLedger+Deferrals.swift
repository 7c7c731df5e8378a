import CicloCore
import Foundation
import Synchronization

/// What a ledger working through a whole profile batch puts off until the batch's end, so a member's tenth entry in a
/// transaction costs no more statements than the first: the copy of their standing onto the profile (one statement
/// for everyone at the end), the timeline events (one multi-row append) and the account's creation and maturing
/// (once per member: lots added later in the same transaction at the same `now` are never pending-and-due).
public final class LedgerDeferrals: Sendable {
    private struct State {
        var mirrored: Set<Int64> = []
        var opened: Set<Int64> = []
        var events: [Event] = []
    }

    private let state = Mutex(State())

    /// Creates an empty set of deferrals for one transaction.
    public init() {}

    func mirror(_ id: Int64) {
        _ = state.withLock { $0.mirrored.insert(id) }
    }

    /// True the first time a member is opened in this transaction.
    func open(_ id: Int64) -> Bool { state.withLock { $0.opened.insert(id).inserted } }

    func emit(_ event: Event) { state.withLock { $0.events.append(event) } }

    /// What is pending, members in id order; it is cleared, while opened members stay opened.
    fileprivate func take() -> (mirrored: [Int64], events: [Event]) {
        state.withLock { s in
            defer { s = State(opened: s.opened) }
            return (s.mirrored.sorted(), s.events)
        }
    }
}

extension LoyaltyLedger {
    /// Writes what the ledger deferred: every touched member's standing onto their profile, then the timeline events
    /// in the order they happened. Call it before the transaction commits; it does nothing for an immediate ledger.
    public func flush() async throws {
        guard let deferrals else { return }
        let (ids, events) = deferrals.take()
        for chunk in ids.chunked(into: 500) { try await mirror(chunk) }
        if !events.isEmpty { _ = try await EventLogWriter(session: session).append(events) }
    }
}
