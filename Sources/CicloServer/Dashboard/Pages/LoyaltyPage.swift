import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// Loyalty: the program (editable as its JSON document), members and points outstanding, people per tier, rewards,
/// referrals held for review (approve or reject), NPS by month and by stage; and one member's ledger.
struct LoyaltyPage {
    let store: Store
    let clock: any CicloClock

    struct Row { var cells: [String] }
    struct Member { var id: Int64; var label: String; var balance: String; var tier: String; var lifetime: String }
    struct Referral { var id: Int64; var referrer: Int64; var referee: Int64; var status: String; var reason: String; var created: String; var held: Bool }
    struct NPSRow { var group: String; var responses: String; var nps: String }
    struct Model {
        var enabled: Bool; var programJSON: String; var error: String
        var members: String; var outstanding: String; var pending: String; var tierChart: String
        var top: [Member]; var rewards: [Row]; var referrals: [Referral]
        var npsByMonth: [NPSRow]; var npsByStage: [NPSRow]
    }
    struct LedgerModel {
        var id: Int64; var balance: String; var pending: String; var tier: String; var qualifying: String; var toNext: String
        var expiring: String; var lots: [Row]; var history: [Row]
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("loyalty") { request, context in
            try await show(request, context)
        }
        group.post("loyalty/program") { request, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let failed = try await DashboardJSONForm.submit("program", context, save: {
                try await store.applyLoyaltyProgram(workspaceId: workspace.id, $0)
            }, showAgain: { try await show(request, context, draft: $0, error: $1, status: .badRequest) })
            return failed ?? DashboardResponse.redirect(to: "/loyalty?notice=saved")
        }
        group.post("loyalty/referrals/:id/:decision") { _, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            guard let id = context.parameters.get("id").flatMap(Int64.init), let decision = context.parameters.get("decision"),
                  ["approve", "reject"].contains(decision) else { throw CicloError.badRequest("invalid_referral", "Approve or reject a referral by its id.") }
            try await store.decideReferral(workspaceId: workspace.id, id: id, approve: decision == "approve", actor: try context.dashboard().user.email)
            return DashboardResponse.redirect(to: "/loyalty?notice=\(decision)d#referrals")
        }
        group.get("loyalty/members/:id") { request, context in
            let workspace = try context.dashboard().workspace
            guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw CicloError.notFound("That member") }
            let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
            let view = try await store.loyaltyMember(workspaceId: workspace.id, profileId: id, historyLimit: 200)
            let model = LedgerModel(
                id: id, balance: DashboardFormat.count(view.account.balance), pending: DashboardFormat.count(view.account.pending),
                tier: view.account.tier ?? "—", qualifying: DashboardFormat.count(view.qualifyingPoints),
                toNext: view.pointsToNextTier.map { "\(DashboardFormat.count($0)) to \(view.nextTier ?? "")" } ?? "top tier",
                expiring: DashboardFormat.count(view.expiringSoon),
                lots: view.lots.map { Row(cells: [DashboardFormat.count($0.remaining) + " of " + DashboardFormat.count($0.points), $0.pending ? "pending" : "spendable",
                                                  DashboardFormat.time($0.availableAt, zone: zone), $0.expiresAt.map { DashboardFormat.time($0, zone: zone) } ?? "never"]) },
                history: view.history.map { Row(cells: [DashboardFormat.time($0.createdAt, zone: zone), $0.kind.replacingOccurrences(of: "_", with: " "),
                                                        ($0.points > 0 ? "+" : "") + DashboardFormat.count($0.points),
                                                        [$0.orderId, $0.rule, $0.reason, $0.actor].compactMap { $0 }.joined(separator: " · ")]) })
            return try DashboardView.render("loyaltyMember", title: "Member #\(id)", page: model, request: request, context: context)
        }
    }

    func show(_ request: Request, _ context: CicloRequestContext, draft: String? = nil, error: String = "",
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let workspace = try context.dashboard().workspace
        let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
        let program = try await store.loyaltyProgram(workspaceId: workspace.id)
        let summary = try await store.loyaltySummary(workspaceId: workspace.id)
        let yearAgo = clock.now().addingTimeInterval(-365 * 86_400).epochMilliseconds
        let model = Model(
            enabled: program != nil, programJSON: draft ?? (program ?? LoyaltyProgram()).json.prettyJSONText, error: error,
            members: DashboardFormat.count(summary.members), outstanding: DashboardFormat.count(summary.balance), pending: DashboardFormat.count(summary.pending),
            tierChart: BarChart(label: "Members per tier", bars: summary.tiers.map { ($0.tier, Double($0.members)) }).svg,
            top: try await store.topLoyaltyMembers(workspaceId: workspace.id).map {
                Member(id: $0.profileId, label: $0.label, balance: DashboardFormat.count($0.balance), tier: $0.tier ?? "—", lifetime: DashboardFormat.count($0.lifetime))
            },
            rewards: (program?.rewards ?? []).map { Row(cells: [$0.name, $0.kind.rawValue, DashboardFormat.count($0.cost)]) },
            referrals: try await store.referrals(workspaceId: workspace.id, limit: 50).map {
                Referral(id: $0.id, referrer: $0.referrerId, referee: $0.refereeId, status: $0.status, reason: $0.reason ?? "",
                         created: DashboardFormat.time($0.createdAt, zone: zone), held: $0.status == "held")
            },
            npsByMonth: Self.npsRows(try await store.npsBreakdown(workspaceId: workspace.id, by: "month", since: yearAgo)),
            npsByStage: Self.npsRows(try await store.npsBreakdown(workspaceId: workspace.id, by: "stage", since: yearAgo)))
        return try DashboardView.render("loyalty", title: "Loyalty", page: model, request: request, context: context, status: status)
    }

    static func npsRows(_ groups: [NPSGroup]) -> [NPSRow] {
        groups.map { g in
            NPSRow(group: g.group, responses: DashboardFormat.count(g.score.responses),
                   nps: g.score.score.map { s in String(format: "%+.0f ± %.1f", s, g.score.margin95 ?? 0) } ?? "—")
        }
    }
}
