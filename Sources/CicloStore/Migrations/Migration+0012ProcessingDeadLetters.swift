extension Migration {
    /// Records a background step set aside because it failed on its own (an event, an enrolment), with the error, so
    /// the step's consumer moves on instead of retrying into the same failure forever.
    static let processingDeadLetters = Migration(version: 12, name: "processing dead letters") { dialect in
        [
            """
            CREATE TABLE processing_dead_letters (
                id \(dialect.identityPrimaryKey),
                workspace_id BIGINT NOT NULL,
                stage TEXT NOT NULL,
                item_id BIGINT NOT NULL,
                error TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX processing_dead_letters_workspace ON processing_dead_letters (workspace_id, id)",
            "CREATE UNIQUE INDEX processing_dead_letters_item ON processing_dead_letters (workspace_id, stage, item_id)",
        ]
    }
}
