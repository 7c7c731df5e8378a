import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// Content and recommendations: the coverage matrix (persona × stage, gaps with suggested formats), the library,
/// performance by item × stage × persona, a form to add or replace an item, and the recommendation model with a
/// button to retrain it.
struct ContentPage {
    let store: Store
    let advisor: ContentAdvisor

    struct Cell { var items: Int; var gap: Bool; var hint: String }
    struct Row { var persona: String; var cells: [Cell] }
    struct Item { var key: String; var title: String; var format: String; var stages: String; var personas: String; var status: String; var window: String }
    struct Perf { var key: String; var stage: String; var persona: String; var impressions: String; var clicks: String; var conversions: String; var rate: String }
    struct Model {
        var stages: [String]; var rows: [Row]; var gaps: Int; var items: [Item]; var performance: [Perf]
        var draft: String; var error: String; var trained: String; var modelSummary: String
        var evaluation: [Row2]; var evaluated: Bool
    }
    struct Row2 { var strategy: String; var precision: String; var recall: String; var ndcg: String; var map: String; var hitRate: String; var coverage: String }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("content") { request, context in try await show(request, context) }
        // Offline evaluation on the workspace's own interactions: the last 20% of each person's held out, k = 10.
        group.post("content/recommendations/evaluate") { request, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let log = try await store.productHistory(workspaceId: workspace.id, since: 0, limit: 2_000_000).interactions
            return try await show(request, context, evaluation: RecommendationEvaluation.run(log, testShare: 0.2, k: 10))
        }
        group.post("content") { request, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let failed = try await DashboardJSONForm.submit("item", context, save: {
                try await advisor.save(workspaceId: workspace.id, try ContentItem.parse($0))
            }, showAgain: { try await show(request, context, draft: $0, error: $1, status: .badRequest) })
            return failed ?? DashboardResponse.redirect(to: "/content?notice=saved")
        }
        group.post("content/recommendations/train") { _, context in
            try context.require(.marketer)
            _ = try await RecommendationTrainer(store: store).train(workspaceId: try context.dashboard().workspace.id)
            return DashboardResponse.redirect(to: "/content?notice=trained#recommendations")
        }
    }

    func show(_ request: Request, _ context: CicloRequestContext, draft: String? = nil, error: String = "",
              status: HTTPResponse.Status = .ok, evaluation: [RecommendationEvaluation.Result]? = nil) async throws -> Response {
        let workspace = try context.dashboard().workspace
        let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
        let coverage = try await advisor.coverage(workspaceId: workspace.id)
        let rows = coverage.personas.map { persona in
            Row(persona: persona, cells: coverage.stages.map { stage in
                let cell = coverage.cells.first { $0.persona == persona && $0.stage == stage }
                return Cell(items: cell?.items ?? 0, gap: (cell?.items ?? 0) == 0, hint: (cell?.suggestedFormats ?? []).joined(separator: ", "))
            })
        }
        let items = try await store.contentItems(workspaceId: workspace.id, includeArchived: true).map { i in
            Item(key: i.key, title: i.title, format: i.format, stages: i.stages.isEmpty ? "any" : i.stages.joined(separator: ", "),
                 personas: i.personas.isEmpty ? "any" : i.personas.joined(separator: ", "), status: i.status.rawValue,
                 window: [i.publishFrom.map { "from " + DashboardFormat.time($0, zone: zone) }, i.publishUntil.map { "until " + DashboardFormat.time($0, zone: zone) }]
                    .compactMap { $0 }.joined(separator: " "))
        }
        let performance = try await store.contentPerformance(workspaceId: workspace.id, since: Date().addingTimeInterval(-90 * 86_400).epochMilliseconds)
            .map { p in
                Perf(key: p.key, stage: p.stage, persona: p.persona, impressions: DashboardFormat.count(p.impressions), clicks: DashboardFormat.count(p.clicks),
                     conversions: DashboardFormat.count(p.conversions),
                     rate: p.viewers > 0 ? DashboardFormat.percent(Double(p.conversions) / Double(p.viewers)) : "—")
            }
        let model = try await store.recommendationModel(workspaceId: workspace.id)
        let sample = #"{"key": "spring-guide", "title": "Spring guide", "format": "guide", "url": "https://shop.example.com/guides/spring", "stages": ["convert"], "personas": [], "status": "published", "goalEvent": "Order Completed"}"#
        let page = Model(stages: coverage.stages, rows: rows, gaps: coverage.gaps.count, items: items, performance: performance,
                         draft: draft ?? sample, error: error,
                         trained: model.map { DashboardFormat.time($0.trainedAt, zone: zone) } ?? "never",
                         modelSummary: model.map { m in
                             [("products", "products"), ("people", "people"), ("interactions", "interactions"), ("similarPairs", "similar-item pairs"),
                              ("boughtTogetherPairs", "bought-together pairs")].compactMap { key, label in
                                 m.summary[key]?.intValue.map { "\(DashboardFormat.count(Int($0))) \(label)" }
                             }.joined(separator: " · ")
                         } ?? "",
                         evaluation: (evaluation ?? []).map { r in
                             let pct = { (x: Double) in String(format: "%.2f%%", x * 100) }
                             return Row2(strategy: r.strategy, precision: pct(r.metrics.precision), recall: pct(r.metrics.recall), ndcg: pct(r.metrics.ndcg),
                                         map: pct(r.metrics.map), hitRate: pct(r.metrics.hitRate), coverage: pct(r.coverage))
                         }, evaluated: evaluation != nil)
        return try DashboardView.render("content", title: "Content", page: page, request: request, context: context, status: status)
    }
}
