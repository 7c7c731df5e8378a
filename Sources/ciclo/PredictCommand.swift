import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo predict run|fit|retention`: score a workspace, fit the models to a transaction file, project retention.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Churn risk, expected orders and lifetime value from the customer-base models.",
        subcommands: [Run.self, Fit.self, Retention.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fit the models on a workspace's orders and score every customer.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace name.") var workspace = "default"
        @Option(name: .customLong("as-of"), help: "Score as of this date (YYYY-MM-DD); default now.") var asOf: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var date = Date()
            if let asOf {
                guard let day = TransactionSummary.day(asOf) else { throw CicloError.badRequest("invalid_date", "--as-of must be YYYY-MM-DD.") }
                date = Date(timeIntervalSince1970: Double(day) * 86_400 + 86_399)
                guard date <= Date().addingTimeInterval(86_400) else { throw CicloError.badRequest("invalid_date", "--as-of cannot be in the future.") }
            }
            let report = try await db.withStore { store in
                try await PredictionRunner(store: store, logger: CommandLogging.quiet)
                    .run(workspaceId: try await store.workspace(named: workspace).id, asOf: date)
            }
            if json { return say(report.run.json.jsonText) }
            say("Scored \(report.scored) customers in \(workspace) (affinities for \(report.affinities) people) in \(String(format: "%.2f", report.run.seconds)) s.")
            say(report.run.models.prettyJSONText)
            for (phase, seconds) in report.phases { say("  \(phase.padding(toLength: 20, withPad: " ", startingAt: 0)) \(String(format: "%8.3f", seconds)) s") }
        }
    }

    struct Fit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fit BG/NBD and Gamma-Gamma to a transaction file; with a holdout, compare.")
        @Argument(help: "The transaction file.") var file: String
        @Option(help: "cdnow or csv.") var format = "csv"
        @Option(name: .customLong("calibration-end"), help: "Last day of the calibration period (YYYY-MM-DD).") var calibrationEnd: String
        @Option(name: .customLong("holdout-end"), help: "Last day of the holdout period (YYYY-MM-DD).") var holdoutEnd: String?
        @Option(name: .customLong("customer-column"), help: "CSV column with the customer id.") var customerColumn = "customer"
        @Option(name: .customLong("date-column"), help: "CSV column with the date.") var dateColumn = "date"
        @Option(name: .customLong("amount-column"), help: "CSV column with the amount.") var amountColumn = "amount"
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let parsedFormat: PurchaseFile.Format
            switch format {
            case "cdnow": parsedFormat = .cdnow
            case "csv": parsedFormat = .csv(customer: customerColumn, date: dateColumn, amount: amountColumn)
            default: throw CicloError.badRequest("invalid_format", "--format is cdnow or csv.")
            }
            guard let calibration = TransactionSummary.day(calibrationEnd) else { throw CicloError.badRequest("invalid_date", "--calibration-end must be YYYY-MM-DD.") }
            let holdout = try holdoutEnd.map { text -> Int in
                guard let day = TransactionSummary.day(text) else { throw CicloError.badRequest("invalid_date", "--holdout-end must be YYYY-MM-DD.") }
                return day
            }
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw CicloError.badRequest("unreadable_file", "Cannot read \(file).")
            }
            let purchases = try PurchaseFile(text, format: parsedFormat)
            let summary = try TransactionSummary(purchases.purchases, calibrationEnd: calibration, holdoutEnd: holdout)
            let report = try PredictionFitReport(summary: summary, badLines: purchases.badLines)
            if json { return say(report.json.jsonText) }
            report.printText()
        }
    }

    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fit the shifted beta-geometric model to a cohort's survivors and project retention.")
        @Option(help: "Survivors per period, starting with the cohort's size: 1000,869,743,...") var survivors: String
        @Option(help: "Periods to project beyond the data.") var periods = 5
        @Option(help: "Discount rate per period for the discounted expected residual lifetime.") var discount = 0.1
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let counts = survivors.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard counts.allSatisfy({ $0 != nil }) else { throw CicloError.badRequest("invalid_survivors", "--survivors is a comma-separated list of whole numbers.") }
            let series = counts.compactMap { $0 }
            guard (1...1_000).contains(periods) else { throw CicloError.badRequest("invalid_periods", "--periods is 1 to 1000.") }
            let (model, ll) = try ShiftedBetaGeometric.fit(survivors: series)
            let last = series.count - 1
            let projection: [JSONValue] = (1...(last + periods)).map { t in
                ["period": .int(Int64(t)), "survival": .double(model.survival(t)), "retention": .double(model.retention(t)),
                 "projected": .bool(t > last), "actual": t <= last ? .double(Double(series[t]) / Double(series[0])) : .null]
            }
            let derl = model.discountedResidualLifetime(renewals: last, discount: discount)
            if json {
                return say((["alpha": .double(model.alpha), "beta": .double(model.beta), "logLikelihood": .double(ll),
                             "derl": .double(derl), "projection": .array(projection)] as JSONValue).jsonText)
            }
            say(String(format: "sBG: alpha %.4f, beta %.4f, log-likelihood %.3f", model.alpha, model.beta, ll))
            say("period  survival  retention")
            for t in 1...(last + periods) {
                say(String(format: "%6d  %8.3f  %9.3f%@", t, model.survival(t), model.retention(t), t > last ? "  (projected)" : ""))
            }
            say(String(format: "Discounted expected residual lifetime after %d renewals at %.0f%%: %.3f periods", last, discount * 100, derl))
        }
    }
}
