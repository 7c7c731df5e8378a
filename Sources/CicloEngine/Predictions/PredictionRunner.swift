import CicloCore
import CicloStore
import Foundation
import Logging

/// One scoring run for a workspace: summarise orders in the database, fit BG/NBD and Gamma-Gamma, score every
/// customer, compute affinities, hold out the recent past to check the models, record the run, and recompute the
/// segments that read scores.
public struct PredictionRunner: Sendable {
    let store: Store
    let logger: Logger

    public init(store: Store, logger: Logger = Logger(label: "ciclo.predictions")) {
        self.store = store
        self.logger = logger
    }

    /// What a run did.
    public struct Report: Sendable {
        public var run: PredictionRunRecord
        public var scored: Int
        public var affinities: Int
        public var phases: [(String, Double)]
    }

    /// Runs as of `asOf` (orders up to and including its day).
    public func run(workspaceId: Int64, asOf: Date) async throws -> Report {
        let started = ContinuousClock.now
        var phases: [(String, Double)] = []
        var mark = ContinuousClock.now
        func phase(_ name: String) {
            phases.append((name, (ContinuousClock.now - mark).seconds))
            mark = ContinuousClock.now
        }
        let cutoffDay = Int((asOf.timeIntervalSince1970 / 86_400).rounded(.down))
        let stored = try await store.orderHistories(workspaceId: workspaceId, calibrationEndDay: cutoffDay)
        let histories = stored.map(Self.history(calibrationEndDay: cutoffDay))
        phase("summary")
        let purchases = try BGNBD.fit(histories)
        phase("BG/NBD fit")
        let spend: (model: GammaGamma, logLikelihood: Double, customers: Int)?
        do {
            spend = try GammaGamma.fit(histories)
        } catch {
            // Too few repeat buyers to fit spend: values fall back to the average order, and the run says so.
            logger.notice("Gamma-Gamma not fitted; order values use the average", metadata: ["workspace": "\(workspaceId)", "reason": "\(error)"])
            spend = nil
        }
        phase("Gamma-Gamma fit")
        let buyers = histories.filter { $0.frequency > 0 }
        let fallback = buyers.isEmpty ? 0 : buyers.reduce(0) { $0 + $1.monetary } / Double(buyers.count)
        let scores = CustomerScoring(purchases: purchases.model, spend: spend?.model)
            .score(histories, fallbackOrderValue: fallback, scoredAt: asOf.epochMilliseconds)
        phase("scoring")
        try await store.saveScores(workspaceId: workspaceId, zip(stored, scores).map { ($0.profileId, $1) })
        phase("writing scores")
        _ = try await store.updateDiscountAffinity(workspaceId: workspaceId)
        let affinities = try await computeAffinities(workspaceId: workspaceId, asOf: asOf)
        phase("affinities")
        let validation = try await validate(workspaceId: workspaceId, cutoffDay: cutoffDay,
                                            firstDay: stored.map(\.firstDay).min() ?? cutoffDay)
        phase("holdout validation")

        var models: [String: JSONValue] = [
            "bgnbd": ["r": .double(purchases.model.r), "alpha": .double(purchases.model.alpha), "a": .double(purchases.model.a),
                      "b": .double(purchases.model.b), "logLikelihood": .double(purchases.logLikelihood),
                      "customers": .int(Int64(purchases.customers)), "iterations": .int(Int64(purchases.iterations))],
        ]
        if let spend {
            models["gammaGamma"] = ["p": .double(spend.model.p), "q": .double(spend.model.q), "gamma": .double(spend.model.gamma),
                                    "logLikelihood": .double(spend.logLikelihood), "customers": .int(Int64(spend.customers))]
        }
        var run = PredictionRunRecord(cutoff: asOf.epochMilliseconds, customers: histories.count, models: .object(models),
                                      validation: validation, distributions: Self.distributions(scores),
                                      seconds: (ContinuousClock.now - started).seconds, createdAt: Date().epochMilliseconds)
        run.id = try await store.recordPredictionRun(workspaceId: workspaceId, run)
        try await recomputeScoredSegments(workspaceId: workspaceId)
        phase("segments")
        logger.info("predictions scored", metadata: ["customers": "\(histories.count)", "seconds": "\(run.seconds)"])
        return Report(run: run, scored: scores.count, affinities: affinities, phases: phases)
    }

    static func history(calibrationEndDay: Int) -> (StoredOrderHistory) -> CustomerHistory {
        { s in
            CustomerHistory(customer: String(s.profileId), frequency: s.frequency, recency: Double(s.lastDay - s.firstDay) / 7,
                            age: Double(calibrationEndDay - s.firstDay) / 7, monetary: s.frequency > 0 ? s.repeatTotal / Double(s.frequency) : 0,
                            holdoutFrequency: s.holdout, firstDay: s.firstDay)
        }
    }

    /// Affinities range by range of profile ids, so memory stays bounded at a million people.
    func computeAffinities(workspaceId: Int64, asOf: Date) async throws -> Int {
        guard let (lo, hi) = try await store.profileIdRange(workspaceId: workspaceId) else { return 0 }
        let now = asOf.epochMilliseconds, since = now - 180 * 86_400_000
        var scoring = AffinityScoring()
        scoring.learn(try await store.affinityTotals(workspaceId: workspaceId, since: since))
        var written = 0
        for start in stride(from: lo, through: hi, by: 20_000) {
            let signals = try await store.affinitySignals(workspaceId: workspaceId, ids: start, min(hi, start + 19_999), since: since, now: now)
            let ids = Set(signals.channels.keys).union(signals.hours.keys).union(signals.categories.keys).union(signals.brands.keys)
            let rows = ids.sorted().compactMap { id in
                scoring.score(id, signals).map { (profileId: id, channels: $0.channels, preferred: $0.preferred, hour: $0.hour,
                                                  category: $0.category, brand: $0.brand) }
            }
            try await store.saveAffinities(workspaceId: workspaceId, rows)
            written += rows.count
        }
        return written
    }

    /// Holds out the most recent quarter of the history (at most 26 weeks) and checks what a model fitted before it
    /// predicts; nil when the history is too short to spare any.
    func validate(workspaceId: Int64, cutoffDay: Int, firstDay: Int) async throws -> JSONValue? {
        let span = cutoffDay - firstDay
        guard span >= 8 * 7 else { return nil }
        let holdoutDays = min(26 * 7, span / 4)
        let calibrationEnd = cutoffDay - holdoutDays
        let stored = try await store.orderHistories(workspaceId: workspaceId, calibrationEndDay: calibrationEnd, holdoutEndDay: cutoffDay)
        let histories = stored.map(Self.history(calibrationEndDay: calibrationEnd))
        let fit: BGNBDFit
        do {
            fit = try BGNBD.fit(histories)
        } catch {
            logger.notice("holdout validation skipped: the calibration period does not fit", metadata: ["reason": "\(error)"])
            return nil
        }
        let daily = try await store.repeatPurchasesByDay(workspaceId: workspaceId, cohortEndDay: calibrationEnd, untilDay: cutoffDay)
        let report = HoldoutReport(model: fit.model, histories: histories, repeatsByDay: daily, calibrationEndDay: calibrationEnd,
                                   holdoutEndDay: cutoffDay)
        var json = try JSONValue.parse(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
        if case .object(var o) = json {
            o["model"] = ["r": .double(fit.model.r), "alpha": .double(fit.model.alpha), "a": .double(fit.model.a), "b": .double(fit.model.b),
                          "logLikelihood": .double(fit.logLikelihood)]
            json = .object(o)
        }
        return json
    }

    /// Histograms for the dashboard: churn risk in tenths, CLV in ten equal-count bands.
    static func distributions(_ scores: [ProfileScores]) -> JSONValue {
        var churn = [Int](repeating: 0, count: 10)
        for s in scores { if let c = s.churnRisk, c.isFinite { churn[min(9, max(0, Int(saturating: c * 10)))] += 1 } }
        let clv = scores.compactMap(\.predictedClv12m).filter(\.isFinite).sorted()
        let bands: [JSONValue] = EqualCountBand.bands(of: clv, count: 10).map { band in
            ["from": .double(band.from), "to": .double(band.to), "customers": .int(Int64(band.count))]
        }
        return ["churnRisk": .array(churn.map { .int(Int64($0)) }), "clvDeciles": .array(bands),
                "meanClv": .double(clv.isEmpty ? 0 : clv.reduce(0, +) / Double(clv.count))]
    }

    /// Segments (and stages or personas) that read scores are recomputed so they reflect the new run.
    func recomputeScoredSegments(workspaceId: Int64) async throws {
        let (plan, _) = try await store.audiencePlan(workspaceId: workspaceId)
        let lifecycleUsesScores = (plan.model?.stages.contains { $0.condition.usesScores } ?? false)
            || plan.personas.contains { $0.condition.usesScores }
        if lifecycleUsesScores {
            _ = try await store.recomputeAudience(workspaceId: workspaceId)
            return
        }
        let keys = Set(plan.segments.filter { $0.condition.usesScores }.map(\.key))
        if !keys.isEmpty { _ = try await store.recomputeAudience(workspaceId: workspaceId, onlySegments: keys) }
    }
}
