import CicloCore
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The analytics page's retention follows the page's period and the events the marketer picks.
@Suite("Analytics page")
struct AnalyticsPageTests {
    static let now = ISO8601.parse("2026-06-30T12:00:00Z")!

    static func heatRows(_ html: String) -> Int {
        guard let table = html.range(of: #"<table class="heat">"#), let end = html.range(of: "</table>", range: table.upperBound..<html.endIndex)
        else { return -1 }
        return html[table.upperBound..<end.lowerBound].components(separatedBy: #"<th scope="row">"#).count - 1
    }

    @Test("the period selector sets how many cohorts the heat map shows; start and return events are kept in the form")
    func retentionFollowsThePeriod() async throws {
        try await TestApp.run(clock: ManualClock(Self.now)) { app, client in
            // Setup
            let viewer = try await DashboardUserSession.start(app, role: .viewer)
            try await app.track(client, #"{"type":"track","userId":"a","event":"Signed Up","timestamp":"2026-06-01T10:00:00Z"}"#)
            try await app.track(client, #"{"type":"track","userId":"a","event":"Order Completed","properties":{"order_id":"o1","revenue":5},"timestamp":"2026-06-20T10:00:00Z"}"#)
            try await app.process()

            // Action and check
            var rows: [String: Int] = [:]
            for (days, interval) in [(7, "day"), (30, "day"), (90, "week"), (365, "month"), (365, "day")] {
                rows["\(days)/\(interval)"] = try await client.execute(uri: "/analytics?days=\(days)&interval=\(interval)", method: .get,
                                                                      headers: viewer.headers) { response in
                    #expect(response.status == .ok)
                    return Self.heatRows(response.text)
                }
            }
            #expect(rows == ["7/day": 7, "30/day": 30, "90/week": 13, "365/month": 12, "365/day": 31])
            try await client.execute(uri: "/analytics?days=90&interval=week&start=Signed+Up&return=Order%20Completed", method: .get,
                                     headers: viewer.headers) { response in
                #expect(response.text.contains(#"name="start" value="Signed Up""#))
                #expect(response.text.contains(#"name="return" value="Order Completed""#))
                #expect(response.text.contains("Signed Up → Order Completed, by week, 13 cohorts"))
            }
            try await client.execute(uri: "/analytics?days=365&interval=day", method: .get, headers: viewer.headers) { response in
                #expect(response.text.contains("the last 31 of the period"))
            }
        }
    }
}
