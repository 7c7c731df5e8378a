import Foundation

/// One purchase: who, on which day (days since 1970-01-01 in the shop's time zone), for how much.
public struct Purchase: Sendable, Equatable {
    public var customer: String
    public var day: Int
    public var amount: Double

    public init(customer: String, day: Int, amount: Double) {
        self.customer = customer
        self.day = day
        self.amount = amount
    }
}

/// A customer's history in the form the models read: repeat purchase days x, recency tₓ and age T (in `unit`),
/// the mean value of repeat purchase days, and, with a holdout, the repeat purchase days in it.
public struct CustomerHistory: Sendable, Equatable {
    public var customer: String
    /// Repeat purchase days in the calibration period (the first purchase is not a repeat).
    public var frequency: Int
    /// First to last purchase.
    public var recency: Double
    /// First purchase to the end of calibration.
    public var age: Double
    /// Mean spend of the repeat purchase days (0 without repeats).
    public var monetary: Double
    /// Repeat purchase days after calibration, up to the end of the holdout.
    public var holdoutFrequency: Int
    /// Day of the first purchase.
    public var firstDay: Int

    public init(customer: String, frequency: Int, recency: Double, age: Double, monetary: Double = 0, holdoutFrequency: Int = 0, firstDay: Int = 0) {
        (self.customer, self.frequency, self.recency, self.age, self.monetary, self.holdoutFrequency, self.firstDay) =
            (customer, frequency, recency, age, monetary, holdoutFrequency, firstDay)
    }
}

/// Builds customer histories from purchases (several purchases on one day count as one), rejecting what cannot be used.
public struct TransactionSummary: Sendable {
    /// The time unit of recency and age.
    public enum Unit: String, Sendable { case days, weeks
        public var days: Double { self == .weeks ? 7 : 1 }
    }

    /// A purchase left out, and why.
    public struct Reject: Sendable, Equatable {
        public var purchase: Purchase
        public var reason: String
    }

    public var customers: [CustomerHistory]
    public var rejects: [Reject]
    /// The cohort's repeat purchase days per day, through the end of the holdout (for tracking plots).
    public var repeatsByDay: [Int: Int] = [:]
    public var calibrationEnd: Int
    public var holdoutEnd: Int?
    public var unit: Unit

    /// Totals for reports: customers, repeat buyers, repeat purchases in calibration and in the holdout.
    public var repeatBuyers: Int { customers.count { $0.frequency > 0 } }
    public var calibrationRepeats: Int { customers.reduce(0) { $0 + $1.frequency } }
    public var holdoutRepeats: Int { customers.reduce(0) { $0 + $1.holdoutFrequency } }

    /// Summarises `purchases` with calibration through `calibrationEnd` (inclusive) and an optional holdout after it.
    /// Customers whose first purchase falls after the calibration are not part of the cohort.
    public init(_ purchases: [Purchase], calibrationEnd: Int, holdoutEnd: Int? = nil, unit: Unit = .weeks) throws {
        if let holdoutEnd, holdoutEnd <= calibrationEnd {
            throw CicloError.badRequest("invalid_period", "The holdout must end after the calibration period.")
        }
        let lastDay = holdoutEnd ?? calibrationEnd
        var rejects: [Reject] = []
        // customer → day → amount
        var days: [String: [Int: Double]] = [:]
        for p in purchases {
            if !p.amount.isFinite || p.amount < 0 {
                rejects.append(Reject(purchase: p, reason: "the amount is negative or not a number"))
            } else if p.day > lastDay {
                rejects.append(Reject(purchase: p, reason: "the date is after the end of the \(holdoutEnd == nil ? "calibration period" : "holdout")"))
            } else if p.customer.isEmpty {
                rejects.append(Reject(purchase: p, reason: "no customer"))
            } else {
                days[p.customer, default: [:]][p.day, default: 0] += p.amount
            }
        }
        var customers: [CustomerHistory] = []
        var repeatsByDay: [Int: Int] = [:]
        customers.reserveCapacity(days.count)
        for (customer, byDay) in days {
            let sorted = byDay.keys.sorted()
            guard let first = sorted.first, first <= calibrationEnd else { continue }
            for day in sorted.dropFirst() { repeatsByDay[day, default: 0] += 1 }
            let calibration = sorted.filter { $0 <= calibrationEnd }
            let repeats = calibration.dropFirst()
            let monetary = repeats.isEmpty ? 0 : repeats.reduce(0) { $0 + byDay[$1]! } / Double(repeats.count)
            customers.append(CustomerHistory(
                customer: customer, frequency: repeats.count, recency: Double(calibration.last! - first) / unit.days,
                age: Double(calibrationEnd - first) / unit.days, monetary: monetary,
                holdoutFrequency: sorted.count - calibration.count, firstDay: first))
        }
        guard !customers.isEmpty else {
            throw CicloError.badRequest("no_customers", "No customer made a first purchase on or before the end of the calibration period.")
        }
        customers.sort { $0.customer < $1.customer }
        self.customers = customers
        self.repeatsByDay = repeatsByDay
        self.rejects = rejects
        self.calibrationEnd = calibrationEnd
        self.holdoutEnd = holdoutEnd
        self.unit = unit
    }

    /// Day number of a `YYYY-MM-DD` or `YYYYMMDD` date (UTC days since 1970-01-01).
    public static func day(_ text: String) -> Int? {
        let digits = text.filter(\.isNumber)
        guard digits.count == 8, let y = Int(digits.prefix(4)), let m = Int(digits.dropFirst(4).prefix(2)), let d = Int(digits.suffix(2)),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        var c = DateComponents()
        (c.year, c.month, c.day) = (y, m, d)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        guard let date = calendar.date(from: c), calendar.component(.day, from: date) == d else { return nil }
        return Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }
}
