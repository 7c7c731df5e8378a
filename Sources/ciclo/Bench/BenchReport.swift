import Foundation
import Histogram
import Synchronization

/// The figures one benchmark run printed: a table for people, `--json` for machines.
struct BenchReport: Encodable {
    /// One measured figure.
    struct Figure: Encodable {
        var name: String
        var value: Double
        var unit: String
        /// Why there is no value (an error, a timeout); the value is then meaningless.
        var failed: String?
    }

    var benchmark: String
    var engine: String
    var parameters: [String: String]
    var figures: [Figure] = []
    /// Writes each figure to standard error as it is added, so a long run shows where it is and a stopped one
    /// keeps what it measured.
    var echoes = false

    mutating func add(_ name: String, _ value: Double, _ unit: String, failed: String? = nil) {
        let figure = Figure(name: name, value: value.isFinite ? value : 0, unit: unit, failed: value.isFinite ? failed : failed ?? "not finite")
        figures.append(figure)
        if echoes { FileHandle.standardError.write(Data("  [\(benchmark)] \(figure.name): \(figure.text) \(figure.unit)\n".utf8)) }
    }

    func print(json: Bool) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            do { say(String(decoding: try encoder.encode(self), as: UTF8.self)) } catch {
                FileHandle.standardError.write(Data("The \(benchmark) report could not be encoded as JSON: \(error)\n".utf8))
            }
            return
        }
        let params = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        say("\n\(benchmark) on \(engine)  (\(params))")
        let width = max(10, figures.map(\.name.count).max() ?? 10)
        for figure in figures {
            let value = figure.text
            say("  " + figure.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: max(0, 12 - value.count)) + value + " " + figure.unit)
        }
    }
}

extension BenchReport.Figure {
    /// The value as printed: whole above 100, two decimals below, or why it failed.
    var text: String {
        if let failed { return "failed: \(failed)" }
        return value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }
}

/// A percentile on the 0–100 scale, named so that a call cannot mean 0.5 % when it means the median.
struct Percentile: Sendable {
    /// On the 0–100 scale.
    let value: Double
    static let p50 = Percentile(value: 50), p90 = Percentile(value: 90), p99 = Percentile(value: 99), p999 = Percentile(value: 99.9)
}

/// Latencies collected during a run, in an HdrHistogram (microsecond resolution, three significant digits), read out
/// as percentiles in milliseconds.
struct LatencyRecorder {
    private(set) var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)

    var count: UInt64 { histogram.totalCount }

    mutating func record(_ duration: Duration) {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        _ = histogram.record(UInt64(max(1, micros)))
    }

    mutating func merge(_ other: LatencyRecorder) { histogram.add(other.histogram) }

    /// The latency at `p`, in milliseconds (0 when nothing was recorded).
    func value(at p: Percentile) -> Double {
        histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile(p.value)) / 1000
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
