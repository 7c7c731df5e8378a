import Foundation

/// Runs independent chunks of work on all cores and gathers their results in order.
public enum ParallelChunks {
    /// `work(chunk)` for each chunk in 0..<count, concurrently; returns the results by chunk.
    public static func map<T: Sendable>(_ count: Int, _ work: @Sendable (Int) -> T) -> [T] {
        let results = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { results.set($0, work($0)) }
        return results.values
    }

    /// One slot per chunk; each chunk writes only its own slot, so no lock is needed.
    private final class Slots<T>: @unchecked Sendable {
        private var storage: [T?]
        init(_ n: Int) { storage = Array(repeating: nil, count: n) }
        func set(_ i: Int, _ value: T) { storage.withUnsafeMutableBufferPointer { $0[i] = value } }
        var values: [T] { storage.map { $0! } }
    }
}
