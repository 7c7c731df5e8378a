import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// The overview: the lifecycle funnel and the shop's numbers for a period beside the period before.
struct OverviewPage {
    let store: Store
    let clock: any CicloClock

    struct Period { var days: Int; var label: String; var selected: Bool }
    struct Kpi { var label: String; var value: String; var previous: String; var delta: String?; var direction: String }
    struct Model {
        var periods: [Period]
        var days: Int
        var kpis: [Kpi]
        var funnel: String
        var revenueChart: String
        var ordersChart: String
        var hasPeople: Bool
        var modelName: String
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("overview") { request, context in
            let workspace = try context.dashboard().workspace
            let days = [7, 30, 90, 365].contains(QueryParameters(request: request).get("days", as: Int.self) ?? 30)
                ? QueryParameters(request: request).get("days", as: Int.self) ?? 30 : 30
            let model = try await build(workspace: workspace, days: days, now: clock.now())
            return try DashboardView.render("overview", title: "Overview", page: model, request: request, context: context)
        }
    }

    func build(workspace: Workspace, days: Int, now: Date) async throws -> Model {
        let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
        let window = PeriodWindow(days: days, now: now, zone: zone)
        let lifecycle = try await store.lifecycleModel(workspaceId: workspace.id)
        let counts = try await store.stageCounts(workspaceId: workspace.id)
        var reached = 0
        var funnel: [FunnelChart.Stage] = []
        for stage in lifecycle.stages.reversed() {
            reached += counts[stage.key] ?? 0
            funnel.insert(.init(label: stage.name, reached: reached, inStage: counts[stage.key] ?? 0), at: 0)
        }
        let arrivals = try await store.arrivals(workspaceId: workspace.id, periods: [(window.start, window.end), (window.previousStart, window.start)])
        let hours = try await store.hourlyOrders(workspaceId: workspace.id, from: window.previousStart, to: window.end)
        let current = window.buckets(hours, previous: false), previous = window.buckets(hours, previous: true)
        func total(_ b: [HourlyOrders]) -> HourlyOrders {
            b.reduce(into: HourlyOrders(hour: 0)) {
                $0.orders += $1.orders; $0.repeatOrders += $1.repeatOrders; $0.revenue += $1.revenue; $0.refunds += $1.refunds
            }
        }
        let now = total(current), before = total(previous)
        func kpi(_ label: String, _ a: Double, _ b: Double, _ format: (Double) -> String) -> Kpi {
            let change = DashboardFormat.change(a, b)
            return Kpi(label: label, value: format(a), previous: "vs " + format(b), delta: change?.text, direction: change?.direction ?? "flat")
        }
        let count = { (v: Double) in DashboardFormat.count(Int(saturating: v)) }
        let money = { (v: Double) in DashboardFormat.money(v) }
        let aov = { (t: HourlyOrders) in t.orders > 0 ? (t.revenue / Double(t.orders)) : 0 }
        let repeatShare = { (t: HourlyOrders) in t.orders > 0 ? Double(t.repeatOrders) / Double(t.orders) : 0 }
        let kpis = [
            kpi("New people", Double(arrivals[0].people), Double(arrivals[1].people), count),
            kpi("New customers", Double(arrivals[0].customers), Double(arrivals[1].customers), count),
            kpi("Orders", Double(now.orders), Double(before.orders), count),
            kpi("Revenue", now.revenue - now.refunds, before.revenue - before.refunds, money),
            kpi("Average order value", aov(now), aov(before), money),
            kpi("Repeat-purchase rate", repeatShare(now), repeatShare(before), { DashboardFormat.percent($0) }),
        ]
        let labels = window.bucketStarts.map { DashboardFormat.shortDay($0, zone: zone) }
        return Model(
            periods: [7, 30, 90, 365].map { Period(days: $0, label: $0 == 365 ? "12 months" : "\($0) days", selected: $0 == days) },
            days: days, kpis: kpis, funnel: FunnelChart(stages: funnel).svg,
            revenueChart: LineChart(label: "Revenue per \(window.bucketName), this period against the previous", xLabels: labels,
                                    current: current.map { $0.revenue - $0.refunds }, previous: previous.map { $0.revenue - $0.refunds },
                                    format: { "$" + SVGChart.compact($0) }).svg,
            ordersChart: LineChart(label: "Orders per \(window.bucketName), this period against the previous", xLabels: labels,
                                   current: current.map { Double($0.orders) }, previous: previous.map { Double($0.orders) }).svg,
            hasPeople: reached > 0, modelName: lifecycle.name)
    }

    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head">
        <div><h1>Overview</h1><p class="sub">The last {{days}} days against the {{days}} days before, in the workspace's time zone.</p></div>
        <form method="get" action="/overview" class="actions">
        <label for="days" class="muted">Period</label>
        <select id="days" name="days" data-autosubmit>{{#periods}}<option value="{{days}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/periods}}</select>
        <button type="submit" class="secondary small">Show</button>
        </form>
        </div>
        <section class="grid kpis" aria-label="Key numbers">
        {{#kpis}}<div class="kpi"><div class="label">{{label}}</div><div class="value">{{value}}</div>
        <div class="delta {{direction}}">{{#delta}}{{delta}} {{/delta}}<span class="muted">{{previous}}</span></div></div>{{/kpis}}
        </section>
        <section class="card" aria-labelledby="funnel-title">
        <h2 id="funnel-title">Lifecycle funnel <span class="muted">· {{modelName}}</span></h2>
        {{#hasPeople}}<figure id="funnel">{{{funnel}}}</figure>{{/hasPeople}}
        {{^hasPeople}}<p class="muted">No one yet. Send events to a source's write key, or run <code>ciclo demo</code>.</p>{{/hasPeople}}
        <p><a href="/lifecycle">Stage details →</a></p>
        </section>
        <div class="grid two">
        <section class="card" aria-labelledby="revenue-title">
        <h2 id="revenue-title">Revenue</h2>
        {{{revenueChart}}}
        <div class="legend"><span><span class="swatch current"></span>This period</span><span><span class="swatch previous"></span>Previous period</span></div>
        </section>
        <section class="card" aria-labelledby="orders-title">
        <h2 id="orders-title">Orders</h2>
        {{{ordersChart}}}
        <div class="legend"><span><span class="swatch current"></span>This period</span><span><span class="swatch previous"></span>Previous period</span></div>
        </section>
        </div>
        {{/page}}{{/content}}{{/layout}}
        """
}

/// A period ending now and the one before it, cut into day (or week) buckets in the workspace's time zone.
struct PeriodWindow {
    let start: Date, end: Date, previousStart: Date
    let bucketStarts: [Date]
    let bucketSeconds: TimeInterval
    var bucketName: String { bucketSeconds > 86_400 ? "week" : "day" }

    init(days: Int, now: Date, zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: now)
        start = calendar.date(byAdding: .day, value: -(days - 1), to: today)!
        end = now
        previousStart = calendar.date(byAdding: .day, value: -days, to: start)!
        bucketSeconds = days > 90 ? 7 * 86_400 : 86_400
        bucketStarts = stride(from: start.timeIntervalSince1970, to: now.timeIntervalSince1970, by: bucketSeconds)
            .map { Date(timeIntervalSince1970: $0) }
    }

    /// Hourly rows summed into this period's buckets, or the previous period's aligned to them.
    func buckets(_ hours: [HourlyOrders], previous: Bool) -> [HourlyOrders] {
        var out = bucketStarts.map { HourlyOrders(hour: Int64($0.timeIntervalSince1970 / 3600)) }
        let origin = (previous ? previousStart : start).timeIntervalSince1970
        let limit = previous ? start.timeIntervalSince1970 : end.timeIntervalSince1970
        for h in hours {
            let t = Double(h.hour) * 3600
            guard t >= origin, t < limit else { continue }
            let i = Int((t - origin) / bucketSeconds)
            guard i < out.count else { continue }
            out[i].orders += h.orders; out[i].repeatOrders += h.repeatOrders; out[i].revenue += h.revenue; out[i].refunds += h.refunds
        }
        return out
    }
}
