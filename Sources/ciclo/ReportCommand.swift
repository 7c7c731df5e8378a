import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo report funnel|retention|kpis|attribution|journey` and `ciclo analytics rebuild`: the analytics API's reports
/// from the command line, as JSON or CSV.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Funnels, retention, KPIs, attribution and journey reports.",
        subcommands: [Funnel.self, Retention.self, KPIs.self, AttributionReport.self, Journey.self])

    struct Period: ParsableArguments {
        @Option(help: "The workspace name.") var workspace = "default"
        @Option(help: "Start (YYYY-MM-DD or ISO 8601); default 30 days before --to.") var from: String?
        @Option(help: "End, exclusive (YYYY-MM-DD or ISO 8601); default now.") var to: String?
        @Flag(help: "Print CSV instead of JSON.") var csv = false

        func dates() throws -> (Date, Date) {
            func parse(_ text: String) throws -> Date {
                if let d = ISO8601.parse(text) { return d }
                if let day = TransactionSummary.day(text) { return Date(timeIntervalSince1970: Double(day) * 86_400) }
                throw CicloError.badRequest("invalid_date", "\(text) is not a date.")
            }
            let end = try to.map(parse) ?? Date()
            let start = try from.map(parse) ?? end.addingTimeInterval(-30 * 86_400)
            guard start < end else { throw CicloError.badRequest("invalid_period", "--from must be before --to.") }
            return (start, end)
        }
    }

    struct Funnel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A funnel of 2 to 10 events.")
        @OptionGroup var db: DatabaseOption
        @OptionGroup var period: Period
        @Option(help: "Comma-separated event names, in order.") var steps: String
        @Option(help: "ordered, strict or any.") var order = "ordered"
        @Option(name: .customLong("window-days"), help: "Days to complete the funnel from its first step.") var windowDays = 14.0

        func run() async throws {
            let names = steps.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let json: JSONValue = ["steps": .array(names.map { ["event": .string($0)] }), "order": .string(order), "within": ["days": .double(windowDays)]]
            let definition = try FunnelDefinition.parse(json)
            let (from, to) = try period.dates()
            let report = try await db.withStore { store in
                try await AnalyticsReports(store: store).funnel(workspaceId: try await store.workspace(named: period.workspace).id, definition,
                                                               stepNames: names, from: from, to: to, now: Date())
            }
            if period.csv {
                say("breakdown,step,name,people,in_progress,dropped_off,conversion_from_previous,median_seconds")
                for g in report.groups {
                    for s in g.steps {
                        say(CSVWriter.row([g.breakdown ?? "", String(s.step), s.name, String(s.people), String(s.inProgress), String(s.droppedOff),
                             s.conversionFromPrevious.map { String($0) } ?? "", s.medianSecondsToConvert.map { String($0) } ?? ""]))
                    }
                }
            } else { try printJSON(report) }
        }
    }

    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A retention table by calendar period.")
        @OptionGroup var db: DatabaseOption
        @OptionGroup var period: Period
        @Option(help: "Event that starts a cohort (default: any).") var start: String?
        @Option(help: "Event that counts as returning (default: any).") var returning: String?
        @Option(help: "firstTime or recurring.") var cohort = "firstTime"
        @Option(help: "day, week or month.") var interval = "week"
        @Option(help: "Periods in the table.") var periods = 12
        @Flag(help: "With no --start/--returning, count Ciclo's own events and message deliveries as activity too.")
        var includeCicloEvents = false

        func run() async throws {
            guard let parsedCohort = RetentionDefinition.Cohort(rawValue: cohort), let parsedInterval = CalendarInterval(rawValue: interval),
                  (1...400).contains(periods) else {
                throw CicloError.badRequest("invalid_retention", "--cohort is firstTime or recurring, --interval day, week or month, --periods 1 to 400.")
            }
            let definition = RetentionDefinition(start: start.map { EventMatch(name: $0) }, returning: returning.map { EventMatch(name: $0) },
                                                 cohort: parsedCohort, interval: parsedInterval, periods: periods,
                                                 includeCicloEvents: includeCicloEvents)
            let (from, _) = try period.dates()
            let report = try await db.withStore { store in
                let workspace = try await store.workspace(named: period.workspace)
                return try await store.retention(workspaceId: workspace.id, definition, from: from,
                                                 zone: TimeZone(identifier: workspace.timeZone) ?? .gmt, now: Date())
            }
            if period.csv {
                say("cohort,size," + (0..<periods).map { "p\($0)" }.joined(separator: ","))
                for c in report.cohorts { say(CSVWriter.row([c.start, String(c.size)] + c.values.map(String.init))) }
            } else { try printJSON(report) }
        }
    }

    struct KPIs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "kpis", abstract: "Message KPIs by journey, template, channel, step or arm.")
        @OptionGroup var db: DatabaseOption
        @OptionGroup var period: Period
        @Option(help: "journey, template, channel, step or arm.") var by = "journey"

        func run() async throws {
            let (from, to) = try period.dates()
            let kpis = try await db.withStore { store in
                try await AnalyticsReports(store: store).kpis(workspaceId: try await store.workspace(named: period.workspace).id, by: by, from: from, to: to)
            }
            if period.csv {
                say("\(by),sends,deliveries,unique_opens,unique_clicks,unsubscribes,open_rate,click_rate,click_to_open_rate,unsubscribe_rate")
                for (key, k) in kpis.sorted(by: { $0.key < $1.key }) {
                    say(CSVWriter.row([key] + [k.sends, k.deliveries, k.uniqueOpens, k.uniqueClicks, k.unsubscribes].map(String.init)
                         + [k.openRate, k.clickRate, k.clickToOpenRate, k.unsubscribeRate].map { $0.map { String($0) } ?? "" }))
                }
            } else { try printJSON(kpis) }
        }
    }

    struct AttributionReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "attribution", abstract: "Order revenue credited to messages.")
        @OptionGroup var db: DatabaseOption
        @OptionGroup var period: Period
        @Option(help: "last-touch, first-touch, linear, time-decay or position-based.") var model = "last-touch"
        @Option(help: "journey, template or channel.") var by = "journey"

        func run() async throws {
            guard let parsed = Attribution.Model(rawValue: model) else {
                throw CicloError.badRequest("invalid_model", "--model is one of \(Attribution.Model.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let (from, to) = try period.dates()
            let result = try await db.withStore { store in
                try await AnalyticsReports(store: store).attribution(workspaceId: try await store.workspace(named: period.workspace).id,
                                                                    model: parsed, by: by, from: from, to: to)
            }
            if period.csv {
                say("\(by),revenue,orders")
                for (key, revenue) in result.revenue.sorted(by: { $0.value > $1.value }) { say(CSVWriter.row([key, String(revenue), String(result.orders[key] ?? 0)])) }
                say("(unattributed),\(result.unattributedRevenue),\(result.unattributedOrders)")
            } else { try printJSON(result) }
        }
    }

    struct Journey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A journey's arms, experiment verdicts and lift.")
        @OptionGroup var db: DatabaseOption
        @OptionGroup var period: Period
        @Argument(help: "The journey key.") var key: String

        func run() async throws {
            let (from, to) = try period.dates()
            let report = try await db.withStore { store in
                try await AnalyticsReports(store: store).journey(workspaceId: try await store.workspace(named: period.workspace).id, key: key, from: from, to: to)
            }
            if period.csv {
                say("arm,enrolled,converted,conversion_rate,revenue,revenue_per_recipient")
                for a in report.arms {
                    say(CSVWriter.row([a.arm, String(a.enrolled), String(a.converted), a.conversionRate.map { String($0) }, String(a.revenue),
                                       a.revenuePerRecipient.map { String($0) }]))
                }
            } else { try printJSON(report) }
        }
    }
}

/// `ciclo analytics rebuild|refresh`.
struct AnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analytics", abstract: "Maintain the analytics rollups.",
                                                    subcommands: [Rebuild.self, Refresh.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the rollups from the whole event log.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace name.") var workspace = "default"

        func run() async throws {
            let started = ContinuousClock.now
            let events = try await db.withStore { store in
                try await AnalyticsRollup(store: store).rebuild(workspaceId: try await store.workspace(named: workspace).id)
            }
            say("Rebuilt the rollups of \(workspace) from \(events) events in \(String(format: "%.2f", (ContinuousClock.now - started).seconds)) s.")
        }
    }

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add the events since the last refresh.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace name.") var workspace = "default"

        func run() async throws {
            let events = try await db.withStore { store in
                try await AnalyticsRollup(store: store).refresh(workspaceId: try await store.workspace(named: workspace).id)
            }
            say("Added \(events) events to the rollups of \(workspace).")
        }
    }
}
