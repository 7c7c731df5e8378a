import CicloCore
import Foundation

/// What `ciclo predict fit` prints: the summary, both models, and with a holdout the comparison of predicted and
/// actual repeat purchases in total, by calibration frequency and week by week.
struct PredictionFitReport {
    let summary: TransactionSummary
    let badLines: [PurchaseFile.BadLine]
    let purchases: BGNBDFit
    let spend: (model: GammaGamma, logLikelihood: Double, customers: Int)?
    let holdout: HoldoutReport?

    init(summary: TransactionSummary, badLines: [PurchaseFile.BadLine]) throws {
        self.summary = summary
        self.badLines = badLines
        let fit = try BGNBD.fit(summary.customers)
        purchases = fit
        spend = try? GammaGamma.fit(summary.customers)
        holdout = summary.holdoutEnd.map {
            HoldoutReport(model: fit.model, histories: summary.customers, repeatsByDay: summary.repeatsByDay,
                          calibrationEndDay: summary.calibrationEnd, holdoutEndDay: $0)
        }
    }

    static func date(_ day: Int) -> String { String(ISO8601.format(Date(timeIntervalSince1970: Double(day) * 86_400)).prefix(10)) }

    var json: JSONValue {
        let m = purchases.model
        var out: [String: JSONValue] = [
            "summary": ["customers": .int(Int64(summary.customers.count)), "repeatBuyers": .int(Int64(summary.repeatBuyers)),
                        "calibrationRepeats": .int(Int64(summary.calibrationRepeats)), "holdoutRepeats": .int(Int64(summary.holdoutRepeats)),
                        "rejectedPurchases": .int(Int64(summary.rejects.count)), "unreadableLines": .int(Int64(badLines.count))],
            "bgnbd": ["r": .double(m.r), "alpha": .double(m.alpha), "a": .double(m.a), "b": .double(m.b),
                      "logLikelihood": .double(purchases.logLikelihood), "iterations": .int(Int64(purchases.iterations))],
        ]
        if let spend {
            out["gammaGamma"] = ["p": .double(spend.model.p), "q": .double(spend.model.q), "gamma": .double(spend.model.gamma),
                                 "logLikelihood": .double(spend.logLikelihood), "customers": .int(Int64(spend.customers))]
        }
        if let holdout, let data = try? JSONEncoder().encode(holdout), let value = try? JSONValue.parse(data) { out["holdout"] = value }
        return .object(out)
    }

    func printText() {
        let m = purchases.model
        say("Customers \(summary.customers.count), repeat buyers \(summary.repeatBuyers), repeat purchases \(summary.calibrationRepeats) in calibration"
            + (summary.holdoutEnd == nil ? "" : " and \(summary.holdoutRepeats) in the holdout") + ".")
        if !summary.rejects.isEmpty || !badLines.isEmpty {
            say("Left out: \(badLines.count) unreadable lines, \(summary.rejects.count) purchases (" +
                Set(summary.rejects.map(\.reason)).sorted().joined(separator: "; ") + ").")
        }
        say(String(format: "BG/NBD: r %.4f, alpha %.4f, a %.4f, b %.4f; log-likelihood %.2f (%d iterations)",
                   m.r, m.alpha, m.a, m.b, purchases.logLikelihood, purchases.iterations))
        if let spend {
            say(String(format: "Gamma-Gamma: p %.4f, q %.4f, gamma %.4f on %d repeat buyers", spend.model.p, spend.model.q, spend.model.gamma, spend.customers))
        }
        guard let holdout else { return }
        say(String(format: "Holdout %@ to %@: predicted %.1f repeat purchases, actual %d", Self.date(holdout.calibrationEndDay + 1),
                   Self.date(holdout.holdoutEndDay), holdout.predictedHoldout, holdout.actualHoldout))
        say("By calibration frequency (mean per customer):\n  x     customers  predicted  actual")
        for b in holdout.byFrequency {
            say(String(format: "  %-4@ %9d  %9.3f  %6.3f", b.frequency, b.customers, b.predicted, b.actual))
        }
        say("Cumulative repeat purchases, week by week:\n  week ending   predicted   actual")
        for w in holdout.weeks { say(String(format: "  %@  %10.1f  %7d", Self.date(w.endDay), w.predicted, w.actual)) }
    }
}
