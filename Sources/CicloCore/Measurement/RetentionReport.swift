import Foundation

/// A retention table: for each cohort (by the period people started), how many of them came back k periods later.
public struct RetentionReport: Sendable, Codable, Equatable {
    public struct Cohort: Sendable, Codable, Equatable {
        /// First instant of the cohort's period (ISO 8601).
        public var start: String
        /// People who started in the period (period 0).
        public var size: Int
        /// Returning people for periods 0, 1, ... up to the end of the table (period 0 is the cohort's size).
        public var values: [Int]
        /// The same as shares of the cohort.
        public var rates: [Double?]
        /// Index of the first period not yet over, if the table reaches it.
        public var incompleteFrom: Int?

        public init(start: String, size: Int, values: [Int], rates: [Double?], incompleteFrom: Int?) {
            (self.start, self.size, self.values, self.rates, self.incompleteFrom) = (start, size, values, rates, incompleteFrom)
        }
    }

    public var interval: CalendarInterval
    public var cohorts: [Cohort]

    public init(interval: CalendarInterval, cohorts: [Cohort]) {
        self.interval = interval
        self.cohorts = cohorts
    }
}
