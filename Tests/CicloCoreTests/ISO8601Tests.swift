import CicloCore
import Foundation
import Testing

@Suite("ISO 8601 timestamps")
struct ISO8601Tests {
    @Test("the forms SDKs send parse to the same instant", arguments: [
        "2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000Z", "2024-05-01T12:00:00+02:00", "2024-05-01T12:00:00.000000+0200",
        "2024-05-01T05:00:00-05:00", "2024-05-01 10:00:00Z", "2024-05-01T10:00:00",
    ])
    func forms(text: String) throws {
        #expect(ISO8601.parse(text) == Date(timeIntervalSince1970: 1_714_557_600))
    }

    @Test("fractions keep their precision to the millisecond")
    func fractions() throws {
        let date = try #require(ISO8601.parse("2024-05-01T10:00:00.123456Z"))
        #expect(date.epochMilliseconds == 1_714_557_600_123)
        #expect(ISO8601.format(date) == "2024-05-01T10:00:00.123Z")
    }

    @Test("nonsense is rejected", arguments: ["", "yesterday", "2024-13-01T00:00:00Z", "2024-05-01T25:00:00Z",
                                              "2024-05-01T10:00:00Zjunk", "2024-5-1", "2024-05-01T10:00:00."])
    func rejects(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test("civil dates round-trip across eras")
    func civil() {
        for days in [-800_000, -1, 0, 1, 19_000, 2_000_000] {
            let (y, m, d) = ISO8601.civilFromDays(days)
            #expect(ISO8601.daysFromCivil(year: y, month: m, day: d) == days)
        }
        #expect(ISO8601.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    }
}
