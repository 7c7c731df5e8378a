import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// `/api/v1/analytics/...` and `/api/v1/experiments/compare`: every report as JSON with the time it took.
struct AdminAnalyticsRoutes {
    let environment: ServerEnvironment

    func register(on group: RouterGroup<CicloRequestContext>) {
        let store = environment.store, reports = AnalyticsReports(store: store), clock = environment.clock
        @Sendable func period(_ q: QueryParameters, body: JSONValue? = nil) throws -> (Date, Date) {
            let to = try body?["to"]?.stringValue.map(Self.date) ?? q.date("to") ?? clock.now()
            let from = try body?["from"]?.stringValue.map(Self.date) ?? q.date("from") ?? to.addingTimeInterval(-30 * 86_400)
            guard from < to else { throw CicloError.badRequest("invalid_period", "from must be before to.") }
            guard to.timeIntervalSince(from) <= 3 * 366 * 86_400 else { throw CicloError.badRequest("invalid_period", "A period is at most three years.") }
            return (from, to)
        }
        group.get("analytics/kpis") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let (from, to) = try period(q)
            return try await Self.timed { try await reports.kpis(workspaceId: workspace.id, by: q.string("by") ?? "journey", from: from, to: to) }
        }
        group.get("analytics/journeys/:key") { request, context in
            let workspace = try context.requireWorkspace()
            let (from, to) = try period(QueryParameters(request: request))
            let key = try context.parameters.require("key")
            return try await Self.timed { try await reports.journey(workspaceId: workspace.id, key: key, from: from, to: to) }
        }
        group.get("analytics/attribution") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let (from, to) = try period(q)
            guard let model = Attribution.Model(rawValue: q.string("model") ?? "last-touch") else {
                throw CicloError.badRequest("invalid_model", "model is one of \(Attribution.Model.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return try await Self.timed { try await reports.attribution(workspaceId: workspace.id, model: model, by: q.string("by") ?? "journey", from: from, to: to) }
        }
        // A what-if: the same report under other windows, without changing the workspace's.
        group.post("analytics/attribution") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            let (from, to) = try period(QueryParameters(request: request), body: body)
            guard let model = Attribution.Model(rawValue: body["model"]?.stringValue ?? "last-touch") else {
                throw CicloError.badRequest("invalid_model", "model is one of \(Attribution.Model.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let stored = try await store.attributionWindows(workspaceId: workspace.id)
            let windows = try body["windows"].map { try AttributionWindows.parse($0, over: stored) } ?? stored
            return try await Self.timed {
                try await reports.attribution(workspaceId: workspace.id, model: model, by: body["by"]?.stringValue ?? "journey", from: from, to: to,
                                              windows: windows)
            }
        }
        group.get("analytics/attribution-windows") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(try await store.attributionWindows(workspaceId: workspace.id).json)
        }
        group.patch("analytics/attribution-windows") { request, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(try await store.updateAttributionWindows(workspaceId: workspace.id, try await RequestJSON.object(request)).json)
        }
        group.post("analytics/funnel") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            let definition = try FunnelDefinition.parse(body)
            let (from, to) = try period(QueryParameters(request: request), body: body)
            let names = (body["steps"]?.arrayValue ?? []).map(Self.stepName)
            return try await Self.timed { try await reports.funnel(workspaceId: workspace.id, definition, stepNames: names, from: from, to: to, now: clock.now()) }
        }
        group.post("analytics/retention") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            let definition = try Self.retention(body)
            let from = try body["from"]?.stringValue.map(Self.date) ?? definition.start(endingAt: clock.now())
            let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
            let firstWeekday = Int(body["firstWeekday"]?.intValue ?? 2)
            guard (1...7).contains(firstWeekday) else { throw CicloError.badRequest("invalid_retention", "firstWeekday is 1 (Sunday) to 7 (Saturday).") }
            return try await Self.timed {
                try await store.retention(workspaceId: workspace.id, definition, from: from, zone: zone, firstWeekday: firstWeekday, now: clock.now())
            }
        }
        group.post("analytics/rebuild") { _, context in
            let workspace = try context.requireWorkspace()
            return try await Self.timed { ["events": try await AnalyticsRollup(store: store).rebuild(workspaceId: workspace.id)] }
        }
        group.post("experiments/compare") { request, context in
            _ = try context.requireWorkspace()
            return try await Self.timed { try ExperimentCompare.run(try await RequestJSON.object(request)) }
        }
    }

    static func date(_ text: String) throws -> Date {
        guard let date = ISO8601.parse(text) else { throw CicloError.badRequest("invalid_parameter", "\(text) is not an ISO 8601 date.") }
        return date
    }

    static func stepName(_ step: JSONValue) -> String {
        step["event"]?.stringValue ?? step["segment"]?.stringValue.map { "Entered segment \($0)" } ?? step["stage"]?.stringValue.map { "Entered stage \($0)" } ?? "step"
    }

    static func retention(_ body: JSONValue) throws -> RetentionDefinition {
        var d = RetentionDefinition()
        let parser = ConditionParser()
        do {
            if let start = body["start"], !start.isNull { d.start = try parser.match(start, at: "start") }
            if let back = body["returning"], !back.isNull { d.returning = try parser.match(back, at: "returning") }
        } catch let e as ConditionError { throw CicloError.badRequest("invalid_retention", e.description) }
        if let c = body["cohort"]?.stringValue {
            guard let cohort = RetentionDefinition.Cohort(rawValue: c) else { throw CicloError.badRequest("invalid_retention", "cohort is firstTime or recurring.") }
            d.cohort = cohort
        }
        if let m = body["mode"]?.stringValue {
            guard let mode = RetentionDefinition.Returning(rawValue: m) else { throw CicloError.badRequest("invalid_retention", "mode is on or onOrAfter.") }
            d.mode = mode
        }
        if let i = body["interval"]?.stringValue {
            guard let interval = CalendarInterval(rawValue: i) else { throw CicloError.badRequest("invalid_retention", "interval is day, week or month.") }
            d.interval = interval
        }
        if let include = body["includeCicloEvents"], !include.isNull {
            guard let flag = include.boolValue else { throw CicloError.badRequest("invalid_retention", "includeCicloEvents is true or false.") }
            d.includeCicloEvents = flag
        }
        if let p = body["periods"] {
            guard let n = p.intValue, (1...400).contains(n) else { throw CicloError.badRequest("invalid_retention", "periods is 1 to 400.") }
            d.periods = Int(n)
        }
        return d
    }

    /// Runs `body`, and answers its result with `elapsedMs` beside it.
    static func timed<T: Encodable>(_ body: () async throws -> T) async throws -> Response {
        let started = ContinuousClock.now
        let value = try await body()
        let elapsed = (ContinuousClock.now - started).seconds * 1000
        var json = try JSONValue.parse(String(decoding: try JSONResponse.encoder.encode(value), as: UTF8.self))
        if case .object = json {} else { json = ["result": json] }
        if case .object(var o) = json { o["elapsedMs"] = .double((elapsed * 10).rounded() / 10); json = .object(o) }
        return JSONResponse.make(json)
    }
}
