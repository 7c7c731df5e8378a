import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird
import Logging

/// Predictions: the latest run's models, how they held out, the spread of CLV and churn risk, and the customers
/// most valuable and most at risk.
struct PredictionsPage {
    let store: Store
    let clock: any CicloClock

    struct Param { var name: String; var value: String }
    struct Bucket { var frequency: String; var customers: String; var predicted: String; var actual: String }
    struct Customer { var id: Int64; var label: String; var clv: String; var churn: String; var orders: String }
    struct Model {
        var hasRun: Bool; var cutoff: String; var customers: String; var seconds: String
        var purchaseModel: [Param]; var spendModel: [Param]
        var hasValidation: Bool; var tracking: String; var holdoutText: String; var buckets: [Bucket]
        var churnChart: String; var clvChart: String
        var valuable: [Customer]; var atRisk: [Customer]
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("predictions") { request, context in
            let workspace = try context.dashboard().workspace
            return try DashboardView.render("predictions", title: "Predictions", page: try await model(workspace), request: request, context: context)
        }
        group.post("predictions/run") { _, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            _ = try await PredictionRunner(store: store, logger: context.logger).run(workspaceId: workspace.id, asOf: clock.now())
            return DashboardResponse.redirect(to: "/predictions?notice=scored")
        }
    }

    func model(_ workspace: Workspace) async throws -> Model {
        let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
        guard let run = try await store.predictionRuns(workspaceId: workspace.id, limit: 1).first else {
            return Model(hasRun: false, cutoff: "", customers: "", seconds: "", purchaseModel: [], spendModel: [], hasValidation: false,
                         tracking: "", holdoutText: "", buckets: [], churnChart: "", clvChart: "", valuable: [], atRisk: [])
        }
        func params(_ json: JSONValue?, _ keys: [(String, String)]) -> [Param] {
            keys.compactMap { key, label in json?[key].map { Param(name: label, value: $0.doubleValue.map { String(format: "%.4f", $0) } ?? $0.jsonText) } }
        }
        var tracking = "", holdoutText = "", buckets: [Bucket] = []
        if let v = run.validation {
            let weeks = v["weeks"]?.arrayValue ?? []
            tracking = LineChart(label: "Cumulative repeat purchases: actual against predicted",
                                 xLabels: weeks.map { DashboardFormat.shortDay(Date(timeIntervalSince1970: Double($0["endDay"]?.intValue ?? 0) * 86_400), zone: zone) },
                                 current: weeks.map { Double($0["actual"]?.intValue ?? 0) },
                                 previous: weeks.map { $0["predicted"]?.doubleValue ?? 0 }).svg
            let start = Date(timeIntervalSince1970: Double((v["calibrationEndDay"]?.intValue ?? 0) + 1) * 86_400)
            holdoutText = "Fitted on orders before \(DashboardFormat.day(start, zone: zone)); in the weeks after it predicted "
                + String(format: "%.0f", v["predictedHoldout"]?.doubleValue ?? 0) + " repeat purchases, and there were "
                + DashboardFormat.count(Int(v["actualHoldout"]?.intValue ?? 0)) + "."
            buckets = (v["byFrequency"]?.arrayValue ?? []).map {
                Bucket(frequency: $0["frequency"]?.stringValue ?? "", customers: DashboardFormat.count(Int($0["customers"]?.intValue ?? 0)),
                       predicted: String(format: "%.2f", $0["predicted"]?.doubleValue ?? 0), actual: String(format: "%.2f", $0["actual"]?.doubleValue ?? 0))
            }
        }
        let churn = (run.distributions?["churnRisk"]?.arrayValue ?? []).enumerated().map { i, n in
            (label: "\(i * 10)–\(i * 10 + 10)%", value: Double(n.intValue ?? 0))
        }
        let clv = (run.distributions?["clvDeciles"]?.arrayValue ?? []).enumerated().map { i, band in
            (label: "D\(i + 1)", value: band["to"]?.doubleValue ?? 0)
        }
        func customer(_ c: ScoredCustomer) -> Customer {
            Customer(id: c.summary.id, label: c.summary.name ?? c.summary.email ?? c.summary.userId ?? "#\(c.summary.id)",
                     clv: DashboardFormat.money(c.clv), churn: DashboardFormat.percent(c.churnRisk, decimals: 0),
                     orders: DashboardFormat.count(c.summary.orderCount))
        }
        return Model(
            hasRun: true, cutoff: DashboardFormat.time(run.cutoff, zone: zone), customers: DashboardFormat.count(run.customers),
            seconds: String(format: "%.1f", run.seconds),
            purchaseModel: params(run.models["bgnbd"], [("r", "r"), ("alpha", "α"), ("a", "a"), ("b", "b"), ("logLikelihood", "log-likelihood")]),
            spendModel: params(run.models["gammaGamma"], [("p", "p"), ("q", "q"), ("gamma", "γ"), ("logLikelihood", "log-likelihood")]),
            hasValidation: run.validation != nil, tracking: tracking, holdoutText: holdoutText, buckets: buckets,
            churnChart: BarChart(label: "Customers by churn risk", bars: churn).svg,
            clvChart: BarChart(label: "Predicted 12-month CLV by decile (upper bound)", bars: clv, format: { "$" + SVGChart.compact($0) }).svg,
            valuable: try await store.topCustomersByValue(workspaceId: workspace.id).map(customer),
            atRisk: try await store.topCustomersByValue(workspaceId: workspace.id, minChurnRisk: 0.5).map(customer))
    }

    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Predictions</h1><p class="sub">Who is still a customer, what they will buy and what they are worth — BG/NBD and Gamma-Gamma, refitted daily.</p></div>
        {{#chrome.canEdit}}<form method="post" action="/predictions/run" class="actions"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <button type="submit" class="secondary">Score everyone now</button></form>{{/chrome.canEdit}}</div>
        {{^hasRun}}<section class="card"><p class="muted">No scoring run yet. It runs daily once there are repeat customers, or press “Score everyone now”.</p></section>{{/hasRun}}
        {{#hasRun}}
        <section class="grid kpis"><div class="kpi"><div class="label">Customers scored</div><div class="value">{{customers}}</div></div>
        <div class="kpi"><div class="label">As of</div><div class="value small">{{cutoff}}</div></div>
        <div class="kpi"><div class="label">Run took</div><div class="value">{{seconds}} s</div></div></section>
        <div class="grid two">
        <section class="card"><h2>Purchases (BG/NBD)</h2><dl class="facts">{{#purchaseModel}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/purchaseModel}}</dl></section>
        <section class="card"><h2>Spend (Gamma-Gamma)</h2>{{#empty(spendModel)}}<p class="muted">Too few repeat buyers to fit.</p>{{/empty(spendModel)}}
        <dl class="facts">{{#spendModel}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/spendModel}}</dl></section>
        </div>
        <section class="card" id="tracking"><h2>Does it hold out?</h2>
        {{#hasValidation}}<p>{{holdoutText}}</p>{{{tracking}}}
        <div class="legend"><span><span class="swatch current"></span>Actual</span><span><span class="swatch previous"></span>Predicted</span></div>
        <h3>By purchases in the calibration period (mean per customer in the holdout)</h3>
        <table><thead><tr><th>Repeat purchases</th><th class="num">Customers</th><th class="num">Predicted</th><th class="num">Actual</th></tr></thead><tbody>
        {{#buckets}}<tr><td>{{frequency}}</td><td class="num">{{customers}}</td><td class="num">{{predicted}}</td><td class="num">{{actual}}</td></tr>{{/buckets}}</tbody></table>{{/hasValidation}}
        {{^hasValidation}}<p class="muted">Less than eight weeks of orders: nothing to hold out yet.</p>{{/hasValidation}}
        </section>
        <div class="grid two">
        <section class="card"><h2>Churn risk</h2>{{{churnChart}}}</section>
        <section class="card"><h2>Predicted CLV, 12 months</h2>{{{clvChart}}}</section>
        </div>
        <div class="grid two">
        <section class="card"><h2>Most valuable</h2><table id="valuable"><thead><tr><th>Customer</th><th class="num">Orders</th><th class="num">CLV</th><th class="num">Churn risk</th></tr></thead><tbody>
        {{#valuable}}<tr><td><a href="/people/{{id}}">{{label}}</a></td><td class="num">{{orders}}</td><td class="num">{{clv}}</td><td class="num">{{churn}}</td></tr>{{/valuable}}</tbody></table></section>
        <section class="card"><h2>Valuable and at risk</h2><table id="at-risk"><thead><tr><th>Customer</th><th class="num">Orders</th><th class="num">CLV</th><th class="num">Churn risk</th></tr></thead><tbody>
        {{#atRisk}}<tr><td><a href="/people/{{id}}">{{label}}</a></td><td class="num">{{orders}}</td><td class="num">{{clv}}</td><td class="num">{{churn}}</td></tr>{{/atRisk}}</tbody></table></section>
        </div>
        {{/hasRun}}
        {{/page}}{{/content}}{{/layout}}
        """
}
