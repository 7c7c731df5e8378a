import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// Analytics: message KPIs with trends, journey experiments with verdicts and lift, a funnel, a retention heat map
/// and revenue attribution — each read from the same reports as the API.
struct AnalyticsPage {
    let store: Store
    let clock: any CicloClock

    struct KPIRow { var key: String; var sends: String; var deliveries: String; var openRate: String; var clickRate: String; var ctor: String; var unsub: String; var trend: String }
    struct Experiment { var journey: String; var name: String; var verdicts: [String]; var chart: String; var lift: String?; var srm: String? }
    struct FunnelStepRow { var name: String; var people: String; var fromPrevious: String; var inProgress: String; var dropped: String; var median: String }
    struct HeatCell { var text: String; var level: Int; var incomplete: Bool }
    struct HeatRow { var start: String; var size: String; var cells: [HeatCell] }
    struct Credit { var key: String; var revenue: String; var orders: String; var share: String }
    struct Option { var value: String; var label: String; var selected: Bool }
    struct Model {
        var days: Int; var periods: [Option]
        var kpis: [KPIRow]; var experiments: [Experiment]
        var funnelSteps: String; var funnelOrder: [Option]; var funnelWindow: String; var funnelChart: String?; var funnelRows: [FunnelStepRow]; var funnelError: String?
        var retentionInterval: [Option]; var retentionCohort: [Option]; var heatHeader: [String]; var heat: [HeatRow]
        var retentionStart: String; var retentionReturn: String; var retentionNote: String; var eventSuggestions: [String]
        var attributionModels: [Option]; var credits: [Credit]; var unattributed: String; var totalRevenue: String
        var windows: [WindowRow]; var windowError: String?; var rollupNote: String?
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        registerWindows(on: group)
        group.get("analytics") { request, context in
            let workspace = try context.dashboard().workspace
            return try DashboardView.render("analytics", title: "Analytics", page: try await model(workspace, QueryParameters(request: request)),
                                            request: request, context: context)
        }
    }

    func model(_ workspace: Workspace, _ q: QueryParameters, windowError: String? = nil) async throws -> Model {
        // A page answers now: a backlog beyond its budget (a restart, a bulk import) is left to the background rollup,
        // and the page says the message figures are catching up.
        let reports = AnalyticsReports(store: store, refreshBudget: Self.refreshBudget)
        let now = clock.now(), zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
        let days = [7, 30, 90, 365].contains(q.get("days", as: Int.self) ?? 30) ? q.get("days", as: Int.self) ?? 30 : 30
        let from = now.addingTimeInterval(-Double(days) * 86_400)
        // The raw-event reports read side by side on the reader connections while the rollup figures are put together.
        let retentionQuery = Self.retentionQuery(q, days: days, now: now)
        async let retentionResult = store.retention(workspaceId: workspace.id, retentionQuery.definition,
                                                    from: retentionQuery.definition.start(endingAt: now), zone: zone, now: now)
        let model = q.get("model").flatMap(Attribution.Model.init(rawValue:)) ?? .lastTouch
        let windows = try await store.attributionWindows(workspaceId: workspace.id)
        async let creditResult = reports.attribution(workspaceId: workspace.id, model: model, by: "journey", from: from, to: now, windows: windows)
        // Message KPIs by journey, with a daily trend of sends.
        let kpis = try await reports.kpis(workspaceId: workspace.id, by: "journey", from: from, to: now)
        let rollupNote = try await AnalyticsRollup(store: store).isBehind(workspaceId: workspace.id)
            ? "Message figures are catching up: the newest events are still being added up in the background; reload in a minute."
            : nil
        let fromDay = AnalyticsRollup.localDay(from.epochMilliseconds, zone: zone), toDay = AnalyticsRollup.localDay(now.epochMilliseconds, zone: zone)
        let series = try await store.rollupSeries(workspaceId: workspace.id, dimension: "journey", metric: "sends", fromDay: fromDay, toDay: toDay)
        func pct(_ v: Double?) -> String { v.map { DashboardFormat.percent($0) } ?? "–" }
        let kpiRows = kpis.sorted { $0.value.sends > $1.value.sends }.map { key, k in
            KPIRow(key: key, sends: DashboardFormat.count(k.sends), deliveries: DashboardFormat.count(k.deliveries), openRate: pct(k.openRate),
                   clickRate: pct(k.clickRate), ctor: pct(k.clickToOpenRate), unsub: pct(k.unsubscribeRate),
                   trend: Sparkline(values: (fromDay...toDay).map { series[key]?[$0] ?? 0 }).svg)
        }
        // Journeys with more than one arm or someone held out.
        var experiments: [Experiment] = []
        // Behind already: each journey's report reads the rollups as they are rather than adding another batch.
        let journeyReports = rollupNote == nil ? reports : AnalyticsReports(store: store, refreshBudget: 0)
        for journey in try await store.journeys(workspaceId: workspace.id) {
            let report = try await journeyReports.journey(workspaceId: workspace.id, key: journey.definition.key, from: from, to: now)
            guard !report.comparisons.isEmpty || report.lift != nil else { continue }
            let rows = report.comparisons.compactMap { c in
                c.frequentist.map { (name: "\(c.arm) vs \(c.baseline) · \(c.metric)", effect: $0.relative.effect, lower: $0.relative.lower, upper: $0.relative.upper) }
            }
            var lift: String?
            if let l = report.lift, let c = l.conversion {
                lift = "Treated \(DashboardFormat.percent(l.treatedConversionRate)) converted against \(DashboardFormat.percent(l.heldOutConversionRate)) held out "
                    + "(\(DashboardFormat.count(l.heldOut)) people): \(String(format: "%+.1f", c.effect * 100)) points, 95% interval "
                    + "\(String(format: "%+.1f", c.lower * 100)) to \(String(format: "%+.1f", c.upper * 100)); about "
                    + "\(DashboardFormat.count(Int(saturating: l.incrementalConversions ?? 0, rounding: .toNearestOrAwayFromZero))) extra conversions and "
                    + "\(DashboardFormat.money(l.incrementalRevenue ?? 0)) extra revenue."
            } else if let l = report.lift { lift = "Lift: \(l.noResult ?? "not enough data yet")." }
            experiments.append(Experiment(journey: journey.definition.key, name: journey.definition.name, verdicts: report.comparisons.map(\.verdict),
                                          chart: rows.isEmpty ? "" : IntervalChart(label: report.alternative == .twoSided ? "Relative effects with their intervals" : "Relative effects with one-sided bounds (\(report.alternative.rawValue), as stated)", rows: rows).svg, lift: lift,
                                          srm: report.sampleRatioWarning ? "Sample ratio mismatch (p = \(String(format: "%.5f", report.sampleRatio ?? 0))): arms are not the sizes their weights promise; check the assignment before trusting results." : nil))
        }
        // Funnel from the form (defaults to the shop's purchase path).
        let stepsText = q.get("steps") ?? "Product Viewed, Product Added, Order Completed"
        let order = q.get("order").flatMap(FunnelDefinition.Order.init(rawValue:)) ?? .ordered
        let window = min(90, max(1, q.get("window", as: Int.self) ?? 14))
        var funnelChart: String?, funnelRows: [FunnelStepRow] = [], funnelError: String?
        let names = stepsText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        do {
            let definition = try FunnelDefinition.parse(["steps": .array(names.map { ["event": .string($0)] }), "order": .string(order.rawValue),
                                                         "within": ["days": .int(Int64(window))]])
            let report = try await reports.funnel(workspaceId: workspace.id, definition, stepNames: names, from: from, to: now, now: now)
            if let steps = report.groups.first?.steps {
                funnelChart = FunnelChart(stages: steps.map { .init(label: $0.name, reached: $0.people, inStage: $0.droppedOff) }).svg
                    .replacingOccurrences(of: " here now", with: " dropped off")
                funnelRows = steps.map { s in
                    FunnelStepRow(name: s.name, people: DashboardFormat.count(s.people), fromPrevious: pct(s.conversionFromPrevious),
                                  inProgress: DashboardFormat.count(s.inProgress), dropped: DashboardFormat.count(s.droppedOff),
                                  median: s.medianSecondsToConvert.map { Self.duration($0) } ?? "–")
                }
            }
        } catch let error as CicloError { funnelError = error.message }
        let (interval, cohortType, periods) = (retentionQuery.definition.interval, retentionQuery.definition.cohort, retentionQuery.definition.periods)
        let (startEvent, returnEvent) = (retentionQuery.start, retentionQuery.returning)
        let retention = try await retentionResult
        let who = (startEvent.isEmpty ? "any activity" : startEvent) + " → " + (returnEvent.isEmpty ? "any activity" : returnEvent)
        let cut = interval.periods(covering: days, limit: .max) > periods ? " (the last \(periods) of the period; pick a longer interval for all of it)" : ""
        let heat = retention.cohorts.map { c in
            HeatRow(start: DashboardFormat.day(ISO8601.parse(c.start) ?? now, zone: zone), size: DashboardFormat.count(c.size),
                    cells: c.rates.enumerated().map { i, rate in
                        HeatCell(text: rate.map { DashboardFormat.percent($0, decimals: 0) } ?? "–",
                                 level: rate.map { min(9, max(0, Int(saturating: $0 * 10, rounding: .down))) } ?? 0,
                                 incomplete: c.incompleteFrom.map { i >= $0 } ?? false)
                    })
        }
        let credit = try await creditResult
        let credits = credit.revenue.sorted { $0.value > $1.value }.map { key, revenue in
            Credit(key: key, revenue: DashboardFormat.money(revenue), orders: String(format: "%.1f", credit.orders[key] ?? 0),
                   share: credit.totalRevenue > 0 ? DashboardFormat.percent(revenue / credit.totalRevenue) : "–")
        }
        return Model(
            days: days, periods: [7, 30, 90, 365].map { Option(value: String($0), label: $0 == 365 ? "12 months" : "\($0) days", selected: $0 == days) },
            kpis: kpiRows, experiments: experiments,
            funnelSteps: stepsText, funnelOrder: [("ordered", "in order"), ("strict", "strictly in a row"), ("any", "in any order")].map {
                Option(value: $0.0, label: $0.1, selected: $0.0 == order.rawValue)
            }, funnelWindow: String(window), funnelChart: funnelChart, funnelRows: funnelRows, funnelError: funnelError,
            retentionInterval: CalendarInterval.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == interval) },
            retentionCohort: [("firstTime", "first time"), ("recurring", "every time")].map { Option(value: $0.0, label: $0.1, selected: $0.0 == cohortType.rawValue) },
            heatHeader: (0..<periods).map { "\(interval.rawValue) \($0)" }, heat: heat,
            retentionStart: startEvent, retentionReturn: returnEvent,
            retentionNote: "\(who), by \(interval.rawValue), \(periods) cohorts\(cut). Ciclo's own events and message deliveries are not activity.",
            eventSuggestions: SegmentEditor.eventSuggestions,
            attributionModels: Attribution.Model.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == model) },
            credits: credits, unattributed: DashboardFormat.money(credit.unattributedRevenue), totalRevenue: DashboardFormat.money(credit.totalRevenue),
            windows: Self.windowRows(windows), windowError: windowError, rollupNote: rollupNote)
    }

    /// The events a page view adds to the rollups before reading them: about a tenth of a second's work, so a
    /// backlog costs the page little and the background rollup (every two seconds) does the rest.
    static let refreshBudget = 5_000

    /// The retention heat map's definition over the page's period, from the events the marketer picks (any of the
    /// person's own by default), with the picked names as typed.
    static func retentionQuery(_ q: QueryParameters, days: Int, now: Date) -> (definition: RetentionDefinition, start: String, returning: String) {
        let interval = q.get("interval").flatMap(CalendarInterval.init(rawValue:)) ?? .week
        let cohortType = q.get("cohort").flatMap(RetentionDefinition.Cohort.init(rawValue:)) ?? .firstTime
        let startEvent = q.get("start")?.trimmingCharacters(in: .whitespaces) ?? "", returnEvent = q.get("return")?.trimmingCharacters(in: .whitespaces) ?? ""
        let definition = RetentionDefinition(start: startEvent.isEmpty ? nil : EventMatch(name: startEvent),
                                             returning: returnEvent.isEmpty ? nil : EventMatch(name: returnEvent),
                                             cohort: cohortType, interval: interval, periods: interval.periods(covering: days, limit: retentionColumns))
        return (definition, startEvent, returnEvent)
    }

    /// The most cohorts the heat map shows; a longer period needs a longer interval.
    static let retentionColumns = 31

    static func duration(_ seconds: Double) -> String {
        seconds < 3_600 ? String(format: "%.0f min", seconds / 60) : seconds < 172_800 ? String(format: "%.1f h", seconds / 3_600) : String(format: "%.1f days", seconds / 86_400)
    }
}
