import CicloCore
import CicloStore
import Foundation

/// The reports the API, the command line and the dashboard share, each from one place.
public struct AnalyticsReports: Sendable {
    let store: Store
    /// How many events a report adds to the rollups before reading them: all (exact, the API's and the CLI's
    /// default), or a bound (0: none) for a page that must answer while a backlog is left to the background rollup.
    let refreshBudget: Int

    public init(store: Store, refreshBudget: Int = .max) {
        self.store = store
        self.refreshBudget = max(0, refreshBudget)
    }

    /// The rollup a report refreshes: batches no larger than a bounded budget, so the bound is what is read.
    var rollup: AnalyticsRollup {
        AnalyticsRollup(store: store, batchSize: max(1, min(AnalyticsRollup.defaultBatchSize, refreshBudget)))
    }

    /// Message KPIs per key of a dimension (journey, template, channel, step, arm) over [from, to), from the rollups.
    public func kpis(workspaceId: Int64, by dimension: String, from: Date, to: Date) async throws -> [String: MessageKPIs] {
        guard ["journey", "template", "channel", "step", "arm", "message"].contains(dimension) else {
            throw CicloError.badRequest("invalid_dimension", "by is journey, template, channel, step, arm or message.")
        }
        try await rollup.refresh(workspaceId: workspaceId, atMost: refreshBudget)
        let (fromDay, toDay) = try await days(workspaceId, from, to)
        return try await store.rollupTotals(workspaceId: workspaceId, dimension: dimension, fromDay: fromDay, toDay: toDay).mapValues(MessageKPIs.init)
    }

    /// The journey report for enrolments and messages in [from, to).
    public func journey(workspaceId: Int64, key: String, from: Date, to: Date) async throws -> JourneyAnalysis {
        guard let journey = try await store.journey(workspaceId: workspaceId, key: key) else { throw CicloError.notFound("Journey \(key)") }
        try await rollup.refresh(workspaceId: workspaceId, atMost: refreshBudget)
        let (fromDay, toDay) = try await days(workspaceId, from, to)
        let steps = try await store.rollupTotals(workspaceId: workspaceId, dimension: "step", fromDay: fromDay, toDay: toDay)
            .filter { $0.key.hasPrefix(key + "/") }
        let total = try await store.rollupTotals(workspaceId: workspaceId, dimension: "journey", fromDay: fromDay, toDay: toDay)[key] ?? [:]
        let sums = try await store.journeyArmSums(journeyId: journey.id, from: from.epochMilliseconds, to: to.epochMilliseconds)
        return JourneyAnalysis(definition: journey.definition, sums: sums,
                               steps: Dictionary(uniqueKeysWithValues: steps.map { (String($0.key.dropFirst(key.count + 1)), $0.value) }), total: total)
    }

    /// Revenue of orders in [from, to) credited to journeys, templates or channels by `model`, within the workspace's
    /// attribution windows unless others are given (a what-if on the analytics page or the API).
    public func attribution(workspaceId: Int64, model: Attribution.Model, by dimension: String, from: Date, to: Date,
                            windows given: AttributionWindows? = nil) async throws -> Attribution.Result {
        guard ["journey", "template", "channel"].contains(dimension) else {
            throw CicloError.badRequest("invalid_dimension", "by is journey, template or channel.")
        }
        var windows = given?.byKind ?? [:]
        if given == nil { windows = try await store.attributionWindows(workspaceId: workspaceId).byKind }
        let lookback = windows.values.map(\.milliseconds).max() ?? 0
        let orders = try await store.ordersWithTouches(workspaceId: workspaceId, from: from.epochMilliseconds, to: to.epochMilliseconds, lookback: lookback)
        return Attribution.attribute(orders.map { o in
            Attribution.Order(at: o.at, revenue: o.revenue, touches: o.touches.map { t in
                let credit = dimension == "journey" ? t.journey ?? "(no journey)" : dimension == "template" ? t.template ?? "(unknown)" : t.channel ?? "(unknown)"
                return Attribution.Touch(kind: t.kind, at: t.at, credit: credit)
            })
        }, model: model, windows: windows)
    }

    /// A funnel over chains starting in [from, to).
    public func funnel(workspaceId: Int64, _ definition: FunnelDefinition, stepNames: [String], from: Date, to: Date, now: Date) async throws -> FunnelReport {
        let chains = try await store.funnelChains(workspaceId: workspaceId, definition, from: from, to: to, now: now)
        return FunnelReport(chains: chains, stepNames: stepNames, excludeInProgress: definition.excludeInProgress)
    }

    func days(_ workspaceId: Int64, _ from: Date, _ to: Date) async throws -> (Int, Int) {
        let zone = TimeZone(identifier: try await store.workspace(id: workspaceId).timeZone) ?? .gmt
        return (AnalyticsRollup.localDay(from.epochMilliseconds, zone: zone), AnalyticsRollup.localDay(to.epochMilliseconds - 1, zone: zone))
    }
}
