extension Migration {
    /// SQLite keeps the dedup keys in their primary key's B-tree alone (WITHOUT ROWID): as a rowid table every key
    /// was stored twice, in the table and in its unique index, about 65 bytes of every event's footprint. PostgreSQL
    /// has no clustered table; its heap and primary key stay as they are.
    static let compactMessageIds = Migration(version: 14, name: "compact message ids") { dialect in
        guard dialect == .sqlite else { return [] }
        return [
            """
            CREATE TABLE event_message_ids_compact (
                workspace_id BIGINT NOT NULL,
                message_id TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, message_id)
            ) WITHOUT ROWID
            """,
            """
            INSERT INTO event_message_ids_compact (workspace_id, message_id, received_at)
            SELECT workspace_id, message_id, received_at FROM event_message_ids ORDER BY workspace_id, message_id
            """,
            "DROP TABLE event_message_ids",
            "ALTER TABLE event_message_ids_compact RENAME TO event_message_ids",
            "CREATE INDEX event_message_ids_received ON event_message_ids (received_at)",
        ]
    }
}
