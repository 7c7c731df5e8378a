import CicloCore
import Foundation
import SQLKit

/// One scoring run as recorded: the fitted models, how well they held out, and the distributions they produced.
public struct PredictionRunRecord: Sendable {
    public var id: Int64
    public var cutoff: Int64
    public var customers: Int
    /// Model name → parameters, log-likelihood, customers.
    public var models: JSONValue
    /// The calibration/holdout comparison, when there was enough history to hold some out.
    public var validation: JSONValue?
    /// Histograms of CLV and churn risk.
    public var distributions: JSONValue?
    public var seconds: Double
    public var createdAt: Int64

    public init(id: Int64 = 0, cutoff: Int64, customers: Int, models: JSONValue, validation: JSONValue?, distributions: JSONValue?,
                seconds: Double, createdAt: Int64) {
        (self.id, self.cutoff, self.customers, self.models, self.validation, self.distributions, self.seconds, self.createdAt) =
            (id, cutoff, customers, models, validation, distributions, seconds, createdAt)
    }

    public var json: JSONValue {
        ["id": .int(id), "cutoff": .string(ISO8601.format(Date(epochMilliseconds: cutoff))), "customers": .int(Int64(customers)),
         "models": models, "distributions": distributions ?? .null, "seconds": .double(seconds), "createdAt": .string(ISO8601.format(Date(epochMilliseconds: createdAt)))]
    }
}

/// A customer as the predictions page lists them.
public struct ScoredCustomer: Sendable {
    public var summary: ProfileSummary
    public var clv: Double
    public var churnRisk: Double
}

extension Store {
    @discardableResult
    public func recordPredictionRun(workspaceId: Int64, _ run: PredictionRunRecord) async throws -> Int64 {
        try await database.write { session in
            let cast = session.dialect.jsonCast
            return try await session.sql.raw("""
                INSERT INTO prediction_runs (workspace_id, cutoff, customers, models, validation, distributions, seconds, created_at)
                VALUES (\(bind: workspaceId), \(bind: run.cutoff), \(bind: run.customers), \(bind: run.models.jsonText)\(unsafeRaw: cast),
                \(bind: run.validation?.jsonText)\(unsafeRaw: cast), \(bind: run.distributions?.jsonText)\(unsafeRaw: cast),
                \(bind: run.seconds), \(bind: run.createdAt)) RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
        }
    }

    /// Runs, newest first.
    public func predictionRuns(workspaceId: Int64, limit: Int = 20) async throws -> [PredictionRunRecord] {
        try await database.read { session in
            let d = session.dialect
            return try await session.sql.raw("""
                SELECT id, cutoff, customers, \(unsafeRaw: d.jsonText("models")) AS models, \(unsafeRaw: d.jsonText("validation")) AS validation,
                \(unsafeRaw: d.jsonText("distributions")) AS distributions, seconds, created_at
                FROM prediction_runs WHERE workspace_id = \(bind: workspaceId) ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map { row in
                func json(_ column: String) throws -> JSONValue? {
                    try row.decode(column: column, as: String?.self).flatMap { try? JSONValue.parse($0) }
                }
                return PredictionRunRecord(id: try row.decode(column: "id", as: Int64.self), cutoff: try row.decode(column: "cutoff", as: Int64.self),
                                           customers: try row.decode(column: "customers", as: Int.self), models: try json("models") ?? [:],
                                           validation: try json("validation"), distributions: try json("distributions"),
                                           seconds: try row.decode(column: "seconds", as: Double.self),
                                           createdAt: try row.decode(column: "created_at", as: Int64.self))
            }
        }
    }

    /// The most valuable customers by predicted CLV; with `minChurnRisk`, only those at least that likely to have left.
    public func topCustomersByValue(workspaceId: Int64, minChurnRisk: Double? = nil, limit: Int = 10) async throws -> [ScoredCustomer] {
        try await database.read { session in
            var sql: SQLQueryString = """
                SELECT id, user_id, email, display_name, first_seen, last_seen, order_count, total_revenue, predicted_clv_12m, churn_risk
                FROM profiles WHERE workspace_id = \(bind: workspaceId) AND merged_into IS NULL AND predicted_clv_12m IS NOT NULL
                """
            if let minChurnRisk { sql += " AND churn_risk >= \(bind: minChurnRisk)" }
            sql += " ORDER BY predicted_clv_12m DESC LIMIT \(bind: limit)"
            return try await session.sql.raw(sql).all().map { row in
                ScoredCustomer(summary: ProfileSummary(
                    id: try row.decode(column: "id", as: Int64.self), userId: try row.decode(column: "user_id", as: String?.self),
                    email: try row.decode(column: "email", as: String?.self), name: try row.decode(column: "display_name", as: String?.self),
                    firstSeen: try row.decode(column: "first_seen", as: Int64?.self), lastSeen: try row.decode(column: "last_seen", as: Int64?.self),
                    orderCount: try row.decode(column: "order_count", as: Int.self), totalRevenue: try row.decode(column: "total_revenue", as: Double.self)),
                    clv: try row.decode(column: "predicted_clv_12m", as: Double.self), churnRisk: try row.decode(column: "churn_risk", as: Double?.self) ?? 0)
            }
        }
    }
}
