import Foundation
import Synchronization

/// The source of "now" for everything in Ciclo, injected so tests can move time.
public protocol CicloClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: CicloClock {
    /// Creates the wall clock.
    public init() {}
    /// The current instant.
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to, for tests and simulations.
public final class ManualClock: CicloClock {
    private let current: Mutex<Date>

    /// Starts the clock at `start`.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    /// The instant the clock was last set to.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}

extension Date {
    /// Milliseconds since the Unix epoch, the unit every stored time uses.
    public var epochMilliseconds: Int64 { Int64(saturating: timeIntervalSince1970 * 1000, rounding: .toNearestOrAwayFromZero) }

    /// The instant `ms` milliseconds after the Unix epoch.
    public init(epochMilliseconds ms: Int64) {
        self.init(timeIntervalSince1970: Double(ms) / 1000)
    }
}
