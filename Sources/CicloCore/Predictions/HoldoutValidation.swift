import Foundation

/// How a model fitted on the calibration period predicts the holdout: in total, by calibration frequency, and week by
/// week as cumulative repeat purchases of the cohort (the tracking plot of Fader, Hardie & Lee 2005).
public struct HoldoutReport: Sendable, Codable, Equatable {
    public struct Bucket: Sendable, Codable, Equatable {
        public var frequency: String
        public var customers: Int
        public var predicted: Double
        public var actual: Double
    }

    public struct Week: Sendable, Codable, Equatable {
        /// Day (since 1970) the week ends on.
        public var endDay: Int
        public var predicted: Double
        public var actual: Int
    }

    public var calibrationEndDay: Int
    public var holdoutEndDay: Int
    public var predictedHoldout: Double
    public var actualHoldout: Int
    public var byFrequency: [Bucket]
    public var weeks: [Week]

    /// Builds the report. `histories` are the calibration cohort with their holdout counts; `repeatsByDay` counts the
    /// cohort's repeat purchase days from its start to the holdout's end.
    public init(model: BGNBD, histories: [CustomerHistory], repeatsByDay: [Int: Int], calibrationEndDay: Int, holdoutEndDay: Int,
                unitDays: Double = 7) {
        self.calibrationEndDay = calibrationEndDay
        self.holdoutEndDay = holdoutEndDay
        let horizon = Double(holdoutEndDay - calibrationEndDay) / unitDays
        let predictions = ParallelChunks.map(max(1, min(8, histories.count / 10_000))) { chunk -> [Double] in
            let n = histories.count, chunks = max(1, min(8, n / 10_000))
            return ((chunk * n / chunks)..<((chunk + 1) * n / chunks)).map {
                model.expectedPurchases(horizon, frequency: histories[$0].frequency, recency: histories[$0].recency, age: histories[$0].age)
            }
        }.flatMap { $0 }
        predictedHoldout = predictions.reduce(0, +)
        actualHoldout = histories.reduce(0) { $0 + $1.holdoutFrequency }
        var buckets: [Int: (n: Int, predicted: Double, actual: Double)] = [:]
        for (h, p) in zip(histories, predictions) {
            let key = min(h.frequency, 7)
            var b = buckets[key] ?? (0, 0, 0)
            b.n += 1; b.predicted += p; b.actual += Double(h.holdoutFrequency)
            buckets[key] = b
        }
        byFrequency = (0...7).compactMap { k in
            buckets[k].map { Bucket(frequency: k == 7 ? "7+" : String(k), customers: $0.n, predicted: $0.predicted / Double($0.n),
                                    actual: $0.actual / Double($0.n)) }
        }
        var joins: [Int: Int] = [:]
        for h in histories { joins[h.firstDay, default: 0] += 1 }
        let start = joins.keys.min() ?? calibrationEndDay
        var weeks: [Week] = [], cumulative = 0, day = start
        var end = start + 6
        while end <= holdoutEndDay + 6 {
            let last = min(end, holdoutEndDay)
            while day <= last { cumulative += repeatsByDay[day] ?? 0; day += 1 }
            var predicted = 0.0
            for (first, n) in joins where first <= last {
                predicted += Double(n) * model.expectedPurchasesOfNewCustomer(Double(last - first) / unitDays)
            }
            weeks.append(Week(endDay: last, predicted: predicted, actual: cumulative))
            if last == holdoutEndDay { break }
            end += 7
        }
        self.weeks = weeks
    }
}
