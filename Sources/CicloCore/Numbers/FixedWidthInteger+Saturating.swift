/// Conversions from floating point that cannot trap: `Int(someDouble)` traps on NaN, infinity and anything beyond
/// the integer's range, and a trap in any service takes the whole server down, so computed values go through these.
extension FixedWidthInteger {
    /// The value truncated toward zero; NaN is zero and values beyond the range clamp to its ends.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Self.max) {
            // Double(Int64.max) rounds up to 2^63, which is itself out of range: `>=` keeps the conversion below exact.
            self = .max
        } else if value <= Double(Self.min) {
            self = .min
        } else {
            self.init(value)
        }
    }

    /// The value rounded by `rule`, then converted as `init(saturating:)` does.
    public init(saturating value: Double, rounding rule: FloatingPointRoundingRule) {
        self.init(saturating: value.rounded(rule))
    }
}

/// Range checks for numbers that arrive from outside (events, requests, files).
public enum SaneNumber {
    /// The largest magnitude accepted for an amount of money in major units: a trillion.
    public static let maxAmount = 1e12
    /// The largest quantity accepted on one order line.
    public static let maxQuantity = 1e6

    /// True for a finite number no larger in magnitude than `limit`.
    public static func isWithin(_ value: Double, _ limit: Double) -> Bool {
        value.isFinite && abs(value) <= limit
    }
}
