import Foundation
import Synchronization

/// A one-line progress display with a rate, redrawn in place on a terminal and silent otherwise.
final class ProgressLine: Sendable {
    private let total: Int
    private let unit: String
    private let started = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(total: Int, unit: String) {
        self.total = total
        self.unit = unit
    }

    /// Redraws with `done` of `total` and `events` so far, at most ten times a second.
    func update(_ done: Int, _ events: Int) {
        guard isTerminal else { return }
        let now = ContinuousClock.now
        let due = last.withLock { previous -> Bool in
            if let previous, now - previous < .milliseconds(100), done < total { return false }
            previous = now
            return true
        }
        guard due else { return }
        let elapsed = max(0.001, Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18)
        let width = 30
        let filled = total > 0 ? min(width, width * done / total) : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "\r%@ %d/%d %@  %d events  %.0f %@/s ", bar, done, total, unit, events,
                          Double(done) / elapsed, unit)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Ends the line.
    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
