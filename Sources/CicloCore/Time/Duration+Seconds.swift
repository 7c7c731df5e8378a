extension Duration {
    /// The duration in seconds as a double.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Whole nanoseconds, saturating instead of trapping for a span beyond about 292 years.
    public var saturatingNanoseconds: Int64 {
        let (whole, overflow) = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return components.seconds < 0 ? Int64.min : Int64.max }
        let (sum, overflowAgain) = whole.addingReportingOverflow(components.attoseconds / 1_000_000_000)
        return overflowAgain ? (whole < 0 ? Int64.min : Int64.max) : sum
    }
}
