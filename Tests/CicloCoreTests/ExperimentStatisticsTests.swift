import Foundation
import Testing

@testable import CicloCore

@Suite("Experiment statistics against published numbers")
struct ExperimentStatisticsTests {
    func near(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-5) -> Bool { a.map { abs($0 - b) <= tolerance } ?? false }

    @Test("Welch and the delta method on means and proportions")
    func frequentist() throws {
        let control = ExperimentArm(mean: 3407, sum: 1396.87, sumSquares: 52377.9767)
        let treatment = ExperimentArm(mean: 3461, sum: 2422.7, sumSquares: 134698.29)
        let r = try ExperimentStatistics.frequentist(control: control, treatment: treatment)
        #expect(near(r.relative.effect, 0.70732) && near(r.relative.standardError, 0.37879))
        #expect(near(r.relative.lower, -0.03526) && near(r.relative.upper, 1.44989) && near(r.relative.pValue, 0.06191))
        #expect(near(r.absolute.effect, 0.29) && near(r.absolute.lower, 0.04538) && near(r.absolute.upper, 0.53462))
        #expect(near(r.absolute.pValue, 0.02016))
        let p = try ExperimentStatistics.frequentist(control: ExperimentArm(proportion: 14, of: 28), treatment: ExperimentArm(proportion: 16, of: 30))
        #expect(near(p.relative.effect, 0.06667) && near(p.relative.standardError, 0.2717, 1e-4) && near(p.relative.pValue, 0.80707))
    }

    @Test("the Gaussian posterior's chance to win")
    func bayesian() throws {
        let b = try ExperimentStatistics.bayesian(control: ExperimentArm(proportion: 49, of: 100), treatment: ExperimentArm(proportion: 51, of: 100))
        #expect(near(b.mean, 0.04082) && near(b.standardDeviation, 0.14725) && near(b.chanceToWin, 0.60918))
        let m = try ExperimentStatistics.bayesian(control: ExperimentArm(mean: 10, sum: 100, sumSquares: 1002.25),
                                                  treatment: ExperimentArm(mean: 10, sum: 105, sumSquares: 1111.5))
        #expect(near(m.mean, 0.05) && near(m.standardDeviation, 0.03572) && near(m.chanceToWin, 0.91923))
        #expect(m.risk > 0 && m.risk < m.controlRisk)
        let shrunk = try ExperimentStatistics.bayesian(control: ExperimentArm(mean: 10, sum: 100, sumSquares: 1002.25),
                                                       treatment: ExperimentArm(mean: 10, sum: 105, sumSquares: 1111.5),
                                                       prior: .init(mean: 0, standardDeviation: 0.03))
        #expect(shrunk.mean < m.mean && shrunk.mean > 0, "a prior at zero pulls the effect toward zero")
    }

    @Test("sample ratio mismatch")
    func sampleRatio() throws {
        #expect(near(try MultipleTesting.sampleRatio(counts: [1000, 1200], weights: [0.5, 0.5]).pValue, 0.000020079, 1e-9))
        #expect(near(try MultipleTesting.sampleRatio(counts: [135, 115], weights: [0.5, 0.5]).pValue, 0.205903211, 1e-9))
        #expect(near(try MultipleTesting.sampleRatio(counts: [310, 98], weights: [0.75, 0.25]).pValue, 0.647434186, 1e-9))
        #expect(near(try MultipleTesting.sampleRatio(counts: [500, 500, 600], weights: [0.34, 0.33, 0.33]).pValue, 0.000592638, 1e-9))
        #expect(try MultipleTesting.sampleRatio(counts: [135, 115, 40], weights: [0.5, 0.5, 0]).pValue
            == MultipleTesting.sampleRatio(counts: [135, 115], weights: [0.5, 0.5]).pValue, "a zero-weight arm is ignored")
        #expect(try MultipleTesting.sampleRatio(counts: [1000, 1200], weights: [0.5, 0.5]).warn)
    }

    @Test("Holm and Benjamini–Hochberg")
    func corrections() {
        let holm = MultipleTesting.holm([0.01, 0.04, 0.03, 0.005, 0.55, 0.6])
        for (a, b) in zip(holm, [0.05, 0.12, 0.12, 0.03, 1, 1]) { #expect(near(a, b, 1e-12)) }
        let bh = MultipleTesting.benjaminiHochberg([0.898, 0.138, 0.007, 0.964, 0.538, 0.006, 0.138])
        for (a, b) in zip(bh, [0.964, 0.2415, 0.0245, 0.964, 0.7532, 0.0245, 0.2415]) { #expect(near(a, b, 1e-12)) }
    }

    @Test("degenerate inputs give a reason, never a NaN")
    func degenerate() {
        #expect(throws: NoResult.self) { try ExperimentStatistics.frequentist(control: ExperimentArm(mean: 0, sum: 0, sumSquares: 0), treatment: ExperimentArm(mean: 10, sum: 5, sumSquares: 5)) }
        #expect(throws: NoResult.self) { try ExperimentStatistics.frequentist(control: ExperimentArm(mean: 10, sum: 10, sumSquares: 10), treatment: ExperimentArm(mean: 10, sum: 10, sumSquares: 10)) }
        #expect(throws: NoResult.self) { try ExperimentStatistics.bayesian(control: ExperimentArm(proportion: 0, of: 50), treatment: ExperimentArm(proportion: 5, of: 50)) }
        #expect(throws: NoResult.self) { try ExperimentStatistics.frequentist(control: ExperimentArm(proportion: 60, of: 50), treatment: ExperimentArm(proportion: 5, of: 50)) }
    }

    @Test("CUPED narrows the interval when the pre-period predicts the outcome")
    func cuped() throws {
        var random = SeededRandom(seed: 5)
        func arm(_ lift: Double) -> ExperimentArm {
            var a = ExperimentArm(mean: 0, sum: 0, sumSquares: 0)
            var sx = 0.0, sx2 = 0.0, sxy = 0.0
            for _ in 0..<2_000 {
                let x = 10 + 3 * random.normal(), y = x + lift + random.normal()
                a.n += 1; a.sum += y; a.sumSquares += y * y; sx += x; sx2 += x * x; sxy += x * y
            }
            (a.covariateSum, a.covariateSumSquares, a.crossSum) = (sx, sx2, sxy)
            return a
        }
        let control = arm(0), treatment = arm(0.2)
        let plain = try ExperimentStatistics.frequentist(control: control, treatment: treatment)
        let adjusted = try ExperimentStatistics.frequentist(control: control, treatment: treatment, cuped: true)
        #expect(adjusted.absolute.standardError < plain.absolute.standardError / 2)
        #expect(adjusted.absolute.lower < 0.2 && adjusted.absolute.upper > 0.2)
    }
}

@Suite("Calibration on simulated experiments")
struct ExperimentCalibrationTests {
    static func sample(_ random: inout SeededRandom, n: Int, mean: Double) -> ExperimentArm {
        var arm = ExperimentArm(mean: Double(n), sum: 0, sumSquares: 0)
        for _ in 0..<n {
            let y = mean + random.normal()
            arm.sum += y; arm.sumSquares += y * y
        }
        return arm
    }

    @Test("A/A tests reject 5% ± 1.5% of the time and intervals cover the true effect 95% ± 2%")
    func calibration() throws {
        var random = SeededRandom(seed: 2026)
        var falsePositives = 0, covered = 0
        for _ in 0..<1_000 {
            let a = Self.sample(&random, n: 200, mean: 10), b = Self.sample(&random, n: 200, mean: 10)
            if try ExperimentStatistics.frequentist(control: a, treatment: b).absolute.pValue! < 0.05 { falsePositives += 1 }
            let c = Self.sample(&random, n: 200, mean: 10), d = Self.sample(&random, n: 200, mean: 10.3)
            let r = try ExperimentStatistics.frequentist(control: c, treatment: d).absolute
            if r.lower <= 0.3 && 0.3 <= r.upper { covered += 1 }
        }
        #expect((35...65).contains(falsePositives), "\(falsePositives) false positives in 1,000 A/A tests")
        #expect((930...970).contains(covered), "\(covered) of 1,000 intervals covered the true effect")
    }

    @Test("sequential intervals checked at 20 looks stay at or under α")
    func sequentialPeeking() throws {
        var random = SeededRandom(seed: 77)
        var everRejected = 0
        let runs = 400
        for _ in 0..<runs {
            var a = ExperimentArm(mean: 0, sum: 0, sumSquares: 0), b = a
            var rejected = false
            for _ in 0..<20 {
                for _ in 0..<100 {
                    let x = random.normal(), y = random.normal()
                    a.n += 1; a.sum += x; a.sumSquares += x * x
                    b.n += 1; b.sum += y; b.sumSquares += y * y
                }
                // A mean of zero has no relative effect; look at the absolute one.
                if let r = try? ExperimentStatistics.frequentist(control: a, treatment: b, sequential: 5_000).absolute, r.lower > 0 || r.upper < 0 {
                    rejected = true
                }
            }
            if rejected { everRejected += 1 }
        }
        #expect(Double(everRejected) / Double(runs) <= 0.05, "\(everRejected) of \(runs) A/A runs rejected at some look")
    }
}
