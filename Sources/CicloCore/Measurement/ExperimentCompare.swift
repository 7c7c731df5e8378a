import Foundation

/// The statistics on summary numbers a user supplies (for tests run elsewhere): the first arm is the baseline.
public enum ExperimentCompare {
    /// `{"arms": [{"name", "n", "sum", "sumSquares"} | {"name", "n", "successes"}], "weights": [...], "prior": {"mean", "sd"},
    /// "alpha": 0.05, "alternative": "twoSided" | "greater" | "less", "sequential": 5000, "correction": "holm" | "bh"}`.
    public static func run(_ body: JSONValue) throws -> JSONValue {
        guard case .array(let list) = body["arms"] ?? .null, list.count >= 2, list.count <= 20 else {
            throw CicloError.badRequest("invalid_arms", "arms is a list of 2 to 20 arms, the first being the baseline.")
        }
        let arms = try list.enumerated().map { i, a -> ExperimentArm in
            let name = a["name"]?.stringValue ?? "arm \(i + 1)"
            guard let n = a["n"]?.doubleValue, n.isFinite, n >= 0 else { throw CicloError.badRequest("invalid_arms", "arms[\(i)].n must be a number ≥ 0.") }
            if let successes = a["successes"]?.doubleValue { return ExperimentArm(name: name, proportion: successes, of: n) }
            guard let sum = a["sum"]?.doubleValue, let squares = a["sumSquares"]?.doubleValue else {
                throw CicloError.badRequest("invalid_arms", "arms[\(i)] needs successes, or sum and sumSquares.")
            }
            return ExperimentArm(name: name, mean: n, sum: sum, sumSquares: squares)
        }
        let alpha = body["alpha"]?.doubleValue ?? 0.05
        guard alpha > 0, alpha < 0.5 else { throw CicloError.badRequest("invalid_alpha", "alpha is between 0 and 0.5.") }
        let alternative = try ExperimentAlternative.parse(body["alternative"], at: "alternative")
        let sequential = body["sequential"]?.doubleValue
        if let tuning = sequential, !(tuning.isFinite && tuning >= 1) {
            throw CicloError.badRequest("invalid_sequential", "sequential is the sample size to tune the confidence sequence for (≥ 1).")
        }
        var prior: ExperimentStatistics.Prior?
        if let p = body["prior"], !p.isNull {
            guard let mean = p["mean"]?.doubleValue, let sd = p["sd"]?.doubleValue else {
                throw CicloError.badRequest("invalid_prior", "prior is {\"mean\": …, \"sd\": …} on the relative effect.")
            }
            prior = .init(mean: mean, standardDeviation: sd)
        }
        var results: [JSONValue] = [], pValues: [(Int, Double)] = []
        for arm in arms.dropFirst() {
            var entry: [String: JSONValue] = ["arm": .string(arm.name), "baseline": .string(arms[0].name)]
            do {
                let f = try ExperimentStatistics.frequentist(control: arms[0], treatment: arm, alpha: alpha, sequential: sequential,
                                                             alternative: alternative)
                let b = try ExperimentStatistics.bayesian(control: arms[0], treatment: arm, prior: prior)
                entry["frequentist"] = try encode(f)
                entry["bayesian"] = try encode(b)
                if let p = f.relative.pValue { pValues.append((results.count, p)) }
            } catch let none as NoResult {
                entry["noResult"] = .string(none.reason)
            }
            results.append(.object(entry))
        }
        let correction = body["correction"]?.stringValue ?? "holm"
        guard correction == "holm" || correction == "bh" else { throw CicloError.badRequest("invalid_correction", "correction is holm or bh.") }
        let adjusted = correction == "holm" ? MultipleTesting.holm(pValues.map(\.1)) : MultipleTesting.benjaminiHochberg(pValues.map(\.1))
        for ((index, _), p) in zip(pValues, adjusted) {
            if case .object(var o) = results[index] { o["adjustedPValue"] = .double(p); results[index] = .object(o) }
        }
        var out: [String: JSONValue] = ["comparisons": .array(results), "correction": .string(correction),
                                        "alternative": .string(alternative.rawValue)]
        if case .array(let weights) = body["weights"] ?? .null {
            let w = weights.compactMap(\.doubleValue)
            guard w.count == arms.count else { throw CicloError.badRequest("invalid_weights", "Give one weight per arm.") }
            do {
                let srm = try MultipleTesting.sampleRatio(counts: arms.map(\.n), weights: w)
                out["sampleRatio"] = ["pValue": .double(srm.pValue), "warn": .bool(srm.warn)]
            } catch let none as NoResult { out["sampleRatio"] = ["noResult": .string(none.reason)] }
        }
        return .object(out)
    }

    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try JSONValue.parse(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
