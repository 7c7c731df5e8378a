import CicloCore
import Testing

/// Durations become whole nanoseconds for metrics and the SQLite writer's contention window, and saturate rather than
/// trap at the extremes (a trap would kill the server).
@Suite("Duration in whole nanoseconds")
struct DurationNanosecondsTests {
    @Test("ordinary spans convert exactly, negative ones too")
    func exact() {
        #expect(Duration.milliseconds(1_500).saturatingNanoseconds == 1_500_000_000)
        #expect(Duration.nanoseconds(7).saturatingNanoseconds == 7)
        #expect(Duration.milliseconds(-2_250).saturatingNanoseconds == -2_250_000_000)
    }

    @Test("spans beyond Int64 nanoseconds saturate at the matching end")
    func saturates() {
        #expect(Duration.seconds(Int64.max).saturatingNanoseconds == Int64.max)
        #expect(Duration.seconds(Int64.min).saturatingNanoseconds == Int64.min)
        #expect(Duration.seconds(9_223_372_036).saturatingNanoseconds == 9_223_372_036_000_000_000)
        #expect((Duration.seconds(9_223_372_036) + .milliseconds(900)).saturatingNanoseconds == Int64.max)
    }
}
