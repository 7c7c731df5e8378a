import Foundation
import Testing

@testable import CicloCore

/// The CDNOW sample (2,357 customers of the first quarter of 1997), calibration through 1997-09-30 and holdout
/// through 1998-06-30, weeks at daily resolution — the setting of the published results.
enum CDNOW {
    static let summary: TransactionSummary = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/CDNOW_sample.txt")
        let file = try! PurchaseFile(try! String(contentsOf: url, encoding: .utf8), format: .cdnow)
        return try! TransactionSummary(file.purchases, calibrationEnd: TransactionSummary.day("1997-09-30")!,
                                       holdoutEnd: TransactionSummary.day("1998-06-30")!)
    }()
    static let published = BGNBD(r: 0.2425945, alpha: 4.413589, a: 0.7929, b: 2.425881)
}

@Suite("Customer-base models against the published CDNOW results")
struct PredictionModelTests {
    @Test("the transaction summary counts customers, repeat buyers and repeat purchases as published")
    func summary() {
        let s = CDNOW.summary
        #expect(s.customers.count == 2_357)
        #expect(s.repeatBuyers == 946)
        #expect(s.calibrationRepeats == 2_457)
        #expect(s.holdoutRepeats == 1_882)
        #expect(s.rejects.isEmpty)
    }

    @Test("BG/NBD fits r, α, a, b and the log-likelihood of Fader, Hardie & Lee (2005)")
    func fit() throws {
        let fit = try BGNBD.fit(CDNOW.summary.customers)
        #expect(abs(fit.model.r - 0.2426) < 0.001)
        #expect(abs(fit.model.alpha - 4.4136) < 0.001)
        #expect(abs(fit.model.a - 0.7929) < 0.001)
        #expect(abs(fit.model.b - 2.4259) < 0.001)
        #expect(abs(fit.logLikelihood - -9582.43) < 0.01)
        let predicted = CDNOW.summary.customers.reduce(0.0) { total, c in
            let holdoutWeeks = Double(TransactionSummary.day("1998-06-30")! - TransactionSummary.day("1997-09-30")!) / 7
            return total + fit.model.expectedPurchases(holdoutWeeks, frequency: c.frequency, recency: c.recency, age: c.age)
        }
        #expect(abs(predicted - 1_653.4) < 1, "predicted holdout repeat purchases: \(predicted)")
    }

    @Test("individual predictions with the published parameters")
    func individuals() {
        let m = CDNOW.published
        #expect(abs(m.probabilityAlive(frequency: 2, recency: 213.0 / 7, age: 272.0 / 7) - 0.7266) < 0.001)
        #expect(abs(m.expectedPurchases(39, frequency: 2, recency: 213.0 / 7, age: 272.0 / 7) - 1.226) < 0.001)
        #expect(abs(m.probabilityAlive(frequency: 26, recency: 216.0 / 7, age: 217.0 / 7) - 0.9689) < 0.001)
        #expect(abs(m.expectedPurchases(52, frequency: 26, recency: 216.0 / 7, age: 217.0 / 7) - 25.758) < 0.001)
        #expect(abs(m.expectedPurchasesOfNewCustomer(52) - 1.444) < 0.001)
    }

    @Test("Gamma-Gamma on the 946 repeat buyers")
    func spend() throws {
        let (model, _, customers) = try GammaGamma.fit(CDNOW.summary.customers)
        #expect(customers == 946)
        #expect(abs(model.p - 6.25) < 0.01)
        #expect(abs(model.q - 3.74) < 0.01)
        #expect(abs(model.gamma - 15.44) < 0.01)
    }

    @Test("sBG on Fader & Hardie's regular and high-end cohorts")
    func retention() throws {
        let (regular, _) = try ShiftedBetaGeometric.fit(survivors: [1000, 869, 743, 653, 593, 551, 517, 491])
        #expect(abs(regular.alpha - 0.668) < 0.001 && abs(regular.beta - 3.806) < 0.001)
        for (t, expected) in zip(8...12, [0.460, 0.436, 0.414, 0.395, 0.378]) {
            #expect(abs(regular.survival(t) - expected) < 0.001, "S(\(t)) = \(regular.survival(t))")
        }
        #expect(abs(regular.discountedResidualLifetime(renewals: 7, discount: 0.1) - 7.530) < 0.001,
                "\(regular.discountedResidualLifetime(renewals: 6, discount: 0.1)) \(regular.discountedResidualLifetime(renewals: 7, discount: 0.1))")
        let (highEnd, _) = try ShiftedBetaGeometric.fit(survivors: [1000, 631, 468, 382, 326, 289, 262, 241])
        #expect(abs(highEnd.alpha - 0.704) < 0.001 && abs(highEnd.beta - 1.182) < 0.001)
    }

    @Test("P(alive) is 1 without repeat purchases and falls as the last purchase gets older", arguments: [1, 3, 10])
    func aliveProperty(frequency: Int) {
        let m = CDNOW.published
        #expect(m.probabilityAlive(frequency: 0, recency: 0, age: 30) == 1)
        var previous = 1.0
        for recency in stride(from: 30.0, through: 0, by: -3) {
            let p = m.probabilityAlive(frequency: frequency, recency: recency, age: 30)
            #expect(p <= previous + 1e-12 && p > 0)
            previous = p
        }
    }

    @Test("bad input is refused with a clear error, never a NaN")
    func badInput() throws {
        #expect(throws: CicloError.self) { try PurchaseFile("   \n", format: .cdnow) }
        #expect(throws: CicloError.self) { try BGNBD.fit([CustomerHistory(customer: "a", frequency: 2, recency: 3, age: 5)]) }
        #expect(throws: CicloError.self) {
            try BGNBD.fit([CustomerHistory(customer: "a", frequency: 0, recency: 0, age: 5), CustomerHistory(customer: "b", frequency: 0, recency: 0, age: 3)])
        }
        let file = try PurchaseFile("1 1 19970101 1 10\n1 1 19970105 1 -4\n2 2 19970110 1 abc\n3 3 19991301 1 5\n2 2 19990101 1 5", format: .cdnow)
        #expect(file.badLines.map(\.line) == [3, 4])
        let summary = try TransactionSummary(file.purchases, calibrationEnd: TransactionSummary.day("1997-09-30")!)
        #expect(summary.rejects.map(\.reason) == ["the amount is negative or not a number", "the date is after the end of the calibration period"])
        #expect(throws: CicloError.self) { try ShiftedBetaGeometric.fit(survivors: [1000, 1100, 900]) }
        #expect(throws: CicloError.self) { try ShiftedBetaGeometric.fit(survivors: [1000]) }
    }
}

@Suite("Parameter recovery")
struct ParameterRecoveryTests {
    @Test("histories simulated from known parameters are fitted back within their sampling error", arguments: [UInt64(7), 11])
    func recovery(seed: UInt64) throws {
        let truth = BGNBD(r: 0.25, alpha: 4.4, a: 0.8, b: 2.4)
        let spend = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
        let histories = truth.simulate(customers: 40_000, seed: seed, spend: spend)
        let fit = try BGNBD.fit(histories).model
        // About three standard errors at this size (the spread of fits over many seeds).
        #expect(abs(fit.r - truth.r) / truth.r < 0.06, "r \(fit.r)")
        #expect(abs(fit.alpha - truth.alpha) / truth.alpha < 0.08, "α \(fit.alpha)")
        #expect(abs(fit.a - truth.a) / truth.a < 0.25, "a \(fit.a)")
        #expect(abs(fit.b - truth.b) / truth.b < 0.3, "b \(fit.b)")
        let gg = try GammaGamma.fit(histories).model
        let meanTruth = spend.p * spend.gamma / (spend.q - 1), meanFit = gg.p * gg.gamma / (gg.q - 1)
        #expect(abs(meanFit - meanTruth) / meanTruth < 0.05, "mean order value \(meanFit) vs \(meanTruth)")
    }
}
