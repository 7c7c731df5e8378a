/// Where a profile processor's batches spent their time, summed since it was created: what `bench scale` prints
/// under profile processing, so the slow part of a catch-up is measured rather than guessed.
public struct ProcessingPhases: Sendable {
    /// Batches applied.
    public var batches = 0
    /// Reading the events after the cursor.
    public var read = Duration.zero
    /// Suppression, the identity graph and resolving each event to a profile (reads included).
    public var resolve = Duration.zero
    /// Refolding the computed attributes of merged survivors from their history.
    public var recompute = Duration.zero
    /// The write transaction: profiles, identities, merges, assignments, the cursor and every hook.
    public var write = Duration.zero

    mutating func add(read: Duration, resolve: Duration, recompute: Duration, write: Duration) {
        batches += 1
        self.read += read
        self.resolve += resolve
        self.recompute += recompute
        self.write += write
    }
}
