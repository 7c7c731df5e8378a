import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// The analytics page's attribution windows: shown beside the revenue table and saved for the whole workspace.
extension AnalyticsPage {
    struct WindowRow { var kind: String; var label: String; var value: String }

    static let kindLabels = ["email_open": "Email open", "email_click": "Email click", "sms_click": "SMS click",
                             "whatsapp_click": "WhatsApp click", "push_open": "Push open", "onsite_click": "On-site click"]

    static func windowRows(_ windows: AttributionWindows) -> [WindowRow] {
        AttributionWindows.kinds.map { kind in
            WindowRow(kind: kind, label: kindLabels[kind] ?? kind, value: windows.byKind[kind].map(Self.spanText) ?? "")
        }
    }

    /// "5 days", "24 hours", "30 minutes".
    static func spanText(_ span: TimeSpan) -> String {
        let s = span.seconds
        func text(_ n: Int, _ unit: String) -> String { n == 1 ? "1 \(unit)" : "\(n) \(unit)s" }
        if s.truncatingRemainder(dividingBy: 86_400) == 0 { return text(Int(saturating: s / 86_400, rounding: .down), "day") }
        if s.truncatingRemainder(dividingBy: 3_600) == 0 { return text(Int(saturating: s / 3_600, rounding: .down), "hour") }
        return text(Int(saturating: s / 60, rounding: .toNearestOrAwayFromZero), "minute")
    }

    /// The form's fields (`window.email_open=5 days`, blank for not credited) as the change `AttributionWindows` reads.
    static func windowChange(_ form: DashboardForm) throws -> JSONValue {
        var change: [String: JSONValue] = [:]
        for kind in AttributionWindows.kinds {
            guard let text = form["window.\(kind)"] else { change[kind] = .null; continue }
            let parts = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let n = Double(parts[0]), n.isFinite, n > 0 else {
                throw CicloError.badRequest("invalid_windows", "\(kindLabels[kind] ?? kind): write a number and a unit, such as 5 days or 24 hours.")
            }
            let unit = parts[1].hasSuffix("s") ? String(parts[1]) : parts[1] + "s"
            guard ["minutes", "hours", "days", "weeks"].contains(unit) else {
                throw CicloError.badRequest("invalid_windows", "\(kindLabels[kind] ?? kind): the unit is minutes, hours, days or weeks.")
            }
            change[kind] = [unit: .double(n)]
        }
        return .object(change)
    }

    func registerWindows(on group: RouterGroup<CicloRequestContext>) {
        group.post("analytics/attribution-windows") { request, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            do {
                _ = try await store.updateAttributionWindows(workspaceId: workspace.id, try Self.windowChange(try context.submitted()))
            } catch let error as CicloError where error.kind == .badRequest {
                return try DashboardView.render("analytics", title: "Analytics",
                                                page: try await model(workspace, QueryParameters(request: request), windowError: error.message),
                                                request: request, context: context, status: .badRequest)
            }
            return DashboardResponse.redirect(to: "/analytics#attribution")
        }
    }
}
