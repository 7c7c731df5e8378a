@testable import CicloEngine
import Testing

/// The profile processor's batches shrink when their transaction holds the SQLite writer too long and grow back
/// when it is quick, within their bounds, whatever the clock says.
@Suite("Batch pacing")
struct BatchPacingTests {
    @Test("a slow batch shrinks the next one towards the budget; fast ones grow it back to the maximum")
    func followsTheBudget() {
        var pacing = BatchPacing(maximum: 5_000, budget: .milliseconds(100))
        #expect(pacing.next == 5_000)
        // 5,000 events in 2 s: 250 would fit the budget; halfway there is 2,625.
        pacing.observe(items: 5_000, elapsed: .seconds(2))
        #expect(pacing.next == 2_625)
        for _ in 0..<20 { pacing.observe(items: pacing.next, elapsed: .milliseconds(Int64(pacing.next) * 2 / 5)) }
        #expect((250...260).contains(pacing.next))
        for _ in 0..<20 { pacing.observe(items: pacing.next, elapsed: .milliseconds(1)) }
        #expect(pacing.next == 5_000)
    }

    @Test("the size stays within its bounds, and nonsense measurements change nothing")
    func bounds() {
        var pacing = BatchPacing(maximum: 5_000, minimum: 100, budget: .milliseconds(100))
        pacing.observe(items: 1, elapsed: .seconds(3_600))
        #expect(pacing.next >= 100)
        for _ in 0..<10 { pacing.observe(items: 100, elapsed: .seconds(60)) }
        #expect(pacing.next == 100)
        pacing.observe(items: 0, elapsed: .seconds(1))
        pacing.observe(items: 100, elapsed: .zero)
        pacing.observe(items: 100, elapsed: .seconds(-5))
        pacing.observe(items: Int.max, elapsed: .nanoseconds(1))
        #expect(pacing.next <= 5_000 && pacing.next >= 100)
        #expect(BatchPacing(maximum: 0, budget: .milliseconds(1)).next == 1)
    }
}
