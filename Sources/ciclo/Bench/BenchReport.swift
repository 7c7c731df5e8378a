import Foundation
import Synchronization

/// The figures one benchmark run printed: a table for people, `--json` for machines.
struct BenchReport: Encodable {
    /// One measured figure.
    struct Figure: Encodable {
        var name: String
        var value: Double
        var unit: String
    }

    var benchmark: String
    var engine: String
    var parameters: [String: String]
    var figures: [Figure] = []

    mutating func add(_ name: String, _ value: Double, _ unit: String) {
        figures.append(Figure(name: name, value: value, unit: unit))
    }

    func print(json: Bool) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            say(String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self))
            return
        }
        let params = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        say("\n\(benchmark) on \(engine)  (\(params))")
        let width = max(10, figures.map(\.name.count).max() ?? 10)
        for figure in figures {
            let value = figure.value >= 100 ? String(format: "%.0f", figure.value) : String(format: "%.2f", figure.value)
            say("  " + figure.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: max(0, 12 - value.count)) + value + " " + figure.unit)
        }
    }
}

/// Latencies collected during a run, read out as percentiles.
struct LatencyRecorder {
    private(set) var samples: [Double] = []

    mutating func record(_ duration: Duration) {
        samples.append(Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
    }

    mutating func merge(_ other: LatencyRecorder) { samples += other.samples }

    /// The p-th percentile in milliseconds (nearest rank).
    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[max(0, min(sorted.count - 1, rank))]
    }
}

/// Peak resident memory of a process in MB, from /proc (VmHWM).
func peakMemoryMB(pid: Int32? = nil) -> Double {
    let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}


/// A counter shared by concurrent load workers.
final class SharedCounter: Sendable {
    private let atomic = Atomic<Int>(0)

    /// Adds one and returns the value before.
    func increment() -> Int { atomic.add(1, ordering: .relaxed).oldValue }

    /// The current value.
    var value: Int { atomic.load(ordering: .relaxed) }
}
