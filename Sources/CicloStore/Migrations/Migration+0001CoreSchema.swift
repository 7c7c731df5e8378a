extension Migration {
    /// Workspaces, sources, admin tokens, the event log, profiles and identities.
    static let coreSchema = Migration(version: 1, name: "core schema") { dialect in
        let id = dialect.identityPrimaryKey
        let json = dialect.jsonType
        var statements = [
            """
            CREATE TABLE workspaces (
                id \(id),
                name TEXT NOT NULL UNIQUE,
                time_zone TEXT NOT NULL DEFAULT 'UTC',
                secret TEXT NOT NULL,
                settings \(json) NOT NULL DEFAULT '{}',
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE sources (
                id \(id),
                workspace_id BIGINT NOT NULL,
                name TEXT NOT NULL,
                write_key TEXT NOT NULL UNIQUE,
                enabled BOOLEAN NOT NULL DEFAULT TRUE,
                created_at BIGINT NOT NULL,
                UNIQUE (workspace_id, name)
            )
            """,
            """
            CREATE TABLE admin_tokens (
                id \(id),
                workspace_id BIGINT NOT NULL,
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
            """
            CREATE TABLE event_message_ids (
                workspace_id BIGINT NOT NULL,
                message_id TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, message_id)
            )
            """,
            "CREATE INDEX event_message_ids_received ON event_message_ids (received_at)",
            """
            CREATE TABLE profiles (
                id \(id),
                workspace_id BIGINT NOT NULL,
                traits \(json) NOT NULL DEFAULT '{}',
                first_seen BIGINT,
                last_seen BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                merged_into BIGINT
            )
            """,
            "CREATE INDEX profiles_workspace ON profiles (workspace_id, id)",
            """
            CREATE TABLE identities (
                workspace_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                profile_id BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, kind, value)
            )
            """,
            "CREATE INDEX identities_profile ON identities (workspace_id, profile_id)",
        ]
        let eventColumns = """
                workspace_id BIGINT NOT NULL,
                source_id BIGINT,
                message_id TEXT NOT NULL,
                type TEXT NOT NULL,
                event TEXT,
                name TEXT,
                user_id TEXT,
                anonymous_id TEXT,
                group_id TEXT,
                previous_id TEXT,
                profile_id BIGINT,
                properties \(json) NOT NULL,
                traits \(json) NOT NULL,
                context \(json) NOT NULL,
                original_timestamp BIGINT,
                timestamp BIGINT NOT NULL,
                sent_at BIGINT,
                received_at BIGINT NOT NULL
            """
        switch dialect {
        case .sqlite:
            statements.append("CREATE TABLE events (\n id INTEGER PRIMARY KEY AUTOINCREMENT,\n\(eventColumns))")
        case .postgres:
            // Partitioned by month of `timestamp` (see EventPartitions); the primary key must include it.
            statements.append("""
                CREATE TABLE events (
                id BIGINT GENERATED ALWAYS AS IDENTITY,
                \(eventColumns),
                PRIMARY KEY (id, timestamp)
                ) PARTITION BY RANGE (timestamp)
                """)
            statements.append("CREATE TABLE events_default PARTITION OF events DEFAULT")
            statements.append("CREATE INDEX events_id ON events (id)")
        }
        statements += [
            "CREATE INDEX events_profile_time ON events (workspace_id, profile_id, timestamp)",
            "CREATE INDEX events_name_time ON events (workspace_id, event, timestamp)",
        ]
        return statements
    }
}
