extension Migration {
    /// Recommendations: the product catalogue (imported or learned from `Product Viewed`), trained popularity and
    /// trending scores, and item neighbours (similar items, bought together).
    /// The content library: items by stage and persona (the definition as JSON, with the columns queries filter on).
    static let recommendations = Migration(version: 11, name: "product catalogue, recommendation models, content library") { dialect in
        [
            """
            CREATE TABLE products (
                workspace_id BIGINT NOT NULL,
                product_id TEXT NOT NULL,
                name TEXT,
                category TEXT,
                brand TEXT,
                price DOUBLE PRECISION,
                in_stock BOOLEAN NOT NULL DEFAULT TRUE,
                hidden BOOLEAN NOT NULL DEFAULT FALSE,
                expires_at BIGINT,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, product_id)
            )
            """,
            """
            CREATE TABLE product_scores (
                workspace_id BIGINT NOT NULL,
                product_id TEXT NOT NULL,
                popular DOUBLE PRECISION NOT NULL,
                trending DOUBLE PRECISION,
                PRIMARY KEY (workspace_id, product_id)
            )
            """,
            "CREATE INDEX product_scores_popular ON product_scores (workspace_id, popular DESC, product_id)",
            """
            CREATE TABLE product_neighbours (
                workspace_id BIGINT NOT NULL,
                strategy TEXT NOT NULL,
                product_id TEXT NOT NULL,
                neighbour_id TEXT NOT NULL,
                score DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, strategy, product_id, neighbour_id)
            )
            """,
            """
            CREATE TABLE content_items (
                workspace_id BIGINT NOT NULL,
                key TEXT NOT NULL,
                status TEXT NOT NULL,
                goal_event TEXT,
                definition \(dialect.jsonType) NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, key)
            )
            """,
            "CREATE TABLE recommendation_models (workspace_id BIGINT PRIMARY KEY, trained_at BIGINT NOT NULL, summary \(dialect.jsonType) NOT NULL)",
        ]
    }
}
