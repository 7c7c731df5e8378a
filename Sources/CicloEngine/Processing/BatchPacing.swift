import CicloCore

/// Sizes a background consumer's next batch so its write transaction stays near a time budget: on SQLite every other
/// writer (an ingest acknowledgement among them) waits for the whole of it, so a 5,000-event batch that takes two
/// seconds is two seconds of tracking latency. Small batches cost a little per-batch overhead; the budget trades it.
struct BatchPacing: Sendable {
    /// The largest batch, and the size before anything was measured.
    let maximum: Int
    /// The smallest batch, so a slow spell still makes progress worth its overhead.
    let minimum: Int
    /// How long one write transaction should hold the writer.
    let budget: Duration
    private(set) var next: Int

    init(maximum: Int, minimum: Int = 100, budget: Duration) {
        self.maximum = max(1, maximum)
        self.minimum = max(1, min(minimum, maximum))
        self.budget = budget
        next = self.maximum
    }

    /// Learns from a batch of `items` whose write took `elapsed`.
    mutating func observe(items: Int, elapsed: Duration) {
        guard items > 0 else { return }
        let seconds = elapsed.seconds
        let target = budget.seconds
        guard seconds > 0, seconds.isFinite, target > 0 else { return }
        let fitting = Double(items) * target / seconds
        // Halfway towards what fits: one slow batch (a checkpoint, a merge storm) does not collapse the size.
        let blended = (Double(next) + min(fitting, Double(maximum))) / 2
        next = Int(saturating: blended, rounding: .toNearestOrAwayFromZero)
        next = min(maximum, max(minimum, next))
    }
}
