extension Migration {
    /// Daily rollups of the event log (per event name, message, journey, step, arm, template, channel and stage),
    /// the watermark they are maintained from, and which messages were already opened or clicked once.
    static let analytics = Migration(version: 9, name: "analytics rollups") { _ in
        [
            """
            CREATE TABLE analytics_daily (
                workspace_id BIGINT NOT NULL,
                day BIGINT NOT NULL,
                dimension TEXT NOT NULL,
                key TEXT NOT NULL,
                metric TEXT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, dimension, key, metric, day)
            )
            """,
            "CREATE INDEX analytics_daily_day ON analytics_daily (workspace_id, day)",
            """
            CREATE TABLE analytics_cursors (
                workspace_id BIGINT PRIMARY KEY,
                last_event_id BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE analytics_firsts (
                workspace_id BIGINT NOT NULL,
                message_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                PRIMARY KEY (workspace_id, message_id, kind)
            )
            """,
        ]
    }
}
