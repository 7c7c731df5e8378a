extension Migration {
    /// Prediction scores on profiles (typed columns, so conditions read them like any attribute) and the record of runs.
    static let predictions = Migration(version: 8, name: "predictions") { dialect in
        let id = dialect.identityPrimaryKey
        let json = dialect.jsonType
        let columns = [
            "p_alive DOUBLE PRECISION", "churn_risk DOUBLE PRECISION", "expected_orders_90d DOUBLE PRECISION",
            "purchase_probability_30d DOUBLE PRECISION", "expected_order_value DOUBLE PRECISION", "predicted_clv_12m DOUBLE PRECISION",
            "clv_percentile DOUBLE PRECISION", "discount_affinity DOUBLE PRECISION", "channel_affinity \(json)",
            "preferred_channel TEXT", "best_send_hour BIGINT", "top_category TEXT", "top_brand TEXT", "scored_at BIGINT",
        ]
        return columns.map { "ALTER TABLE profiles ADD COLUMN \($0)" } + [
            "CREATE INDEX profiles_clv ON profiles (workspace_id, predicted_clv_12m)",
            """
            CREATE TABLE prediction_runs (
                id \(id),
                workspace_id BIGINT NOT NULL,
                cutoff BIGINT NOT NULL,
                customers BIGINT NOT NULL,
                models \(json) NOT NULL,
                validation \(json),
                distributions \(json),
                seconds DOUBLE PRECISION NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX prediction_runs_workspace ON prediction_runs (workspace_id, id)",
        ]
    }
}
