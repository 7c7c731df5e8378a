import Foundation

/// A funnel's result per breakdown group: how many people reached each step, who is still inside their window, and
/// how long converting took.
public struct FunnelReport: Sendable, Codable, Equatable {
    public struct Step: Sendable, Codable, Equatable {
        public var step: Int
        public var name: String
        /// People who reached this step.
        public var people: Int
        /// People stuck here but still inside their window: not counted as dropped.
        public var inProgress: Int
        /// People who stopped here for good.
        public var droppedOff: Int
        public var conversionFromPrevious: Double?
        public var conversionFromStart: Double?
        /// From the first step to this one, over those who reached it (seconds).
        public var meanSecondsToConvert: Double?
        public var medianSecondsToConvert: Double?
        /// Some of the people at this step (all, when `people` is small).
        public var sample: [Int64]
    }

    public struct Group: Sendable, Codable, Equatable {
        public var breakdown: String?
        public var steps: [Step]
    }

    public var groups: [Group]
    public var excluded: Int

    /// One person's best chain: the step reached (1-based), when each step happened (ms), whether the window is
    /// still open, and the breakdown value.
    public struct Chain: Sendable {
        public var profileId: Int64
        public var reached: Int
        public var times: [Int64?]
        public var inProgress: Bool
        public var excluded: Bool
        public var breakdown: String?

        public init(profileId: Int64, reached: Int, times: [Int64?], inProgress: Bool, excluded: Bool, breakdown: String?) {
            (self.profileId, self.reached, self.times, self.inProgress, self.excluded, self.breakdown) =
                (profileId, reached, times, inProgress, excluded, breakdown)
        }
    }

    /// Aggregates chains into the report.
    public init(chains: [Chain], stepNames: [String], excludeInProgress: Bool, sampleSize: Int = 100) {
        excluded = chains.count { $0.excluded }
        let kept = chains.filter { !$0.excluded && !(excludeInProgress && $0.inProgress && $0.reached < stepNames.count) }
        let grouped = Dictionary(grouping: kept) { $0.breakdown }
        groups = grouped.keys.sorted { ($0 ?? "") < ($1 ?? "") }.map { key in
            let people = grouped[key]!.sorted { $0.profileId < $1.profileId }
            var steps: [Step] = []
            for (index, name) in stepNames.enumerated() {
                let k = index + 1
                let here = people.filter { $0.reached >= k }
                let stopped = people.filter { $0.reached == k && k < stepNames.count }
                let durations = here.compactMap { c -> Double? in
                    guard let first = c.times.first ?? nil, index < c.times.count, let t = c.times[index] else { return nil }
                    return Double(t - first) / 1000
                }.sorted()
                let previous = steps.last?.people
                steps.append(Step(
                    step: k, name: name, people: here.count, inProgress: stopped.count { $0.inProgress },
                    droppedOff: stopped.count { !$0.inProgress },
                    conversionFromPrevious: previous.flatMap { $0 > 0 ? Double(here.count) / Double($0) : nil },
                    conversionFromStart: steps.first.flatMap { $0.people > 0 ? Double(here.count) / Double($0.people) : nil },
                    meanSecondsToConvert: k > 1 && !durations.isEmpty ? durations.reduce(0, +) / Double(durations.count) : nil,
                    medianSecondsToConvert: k > 1 && !durations.isEmpty ? Self.median(durations) : nil,
                    sample: Array(here.prefix(sampleSize).map(\.profileId))))
            }
            return Group(breakdown: key, steps: steps)
        }
    }

    static func median(_ sorted: [Double]) -> Double {
        sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
