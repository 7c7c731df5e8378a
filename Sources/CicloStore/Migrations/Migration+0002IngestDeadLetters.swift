extension Migration {
    /// Rejected tracking messages, kept so nothing sent is silently lost; and the log by time.
    static let ingestDeadLetters = Migration(version: 2, name: "ingest dead letters") { dialect in
        [
            """
            CREATE TABLE ingest_rejections (
                id \(dialect.identityPrimaryKey),
                workspace_id BIGINT NOT NULL,
                source_id BIGINT,
                received_at BIGINT NOT NULL,
                code TEXT NOT NULL,
                message TEXT NOT NULL,
                payload TEXT NOT NULL
            )
            """,
            "CREATE INDEX ingest_rejections_workspace ON ingest_rejections (workspace_id, id)",
            "CREATE INDEX events_time ON events (workspace_id, timestamp)",
        ]
    }
}
