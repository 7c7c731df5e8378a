extension Migration {
    /// Segments with live membership, lifecycle models and stage history, personas, RFM scores on profiles.
    static let lifecycle = Migration(version: 4, name: "segments, stages, personas, rfm") { dialect in
        let id = dialect.identityPrimaryKey
        let json = dialect.jsonType
        var statements = [
            "stage TEXT", "stage_entered_at BIGINT", "persona TEXT", "rfm_segment TEXT", "rfm_recency INTEGER",
            "rfm_frequency INTEGER", "rfm_monetary INTEGER", "rfm_scored_at BIGINT", "last_order_gap_days DOUBLE PRECISION",
        ].map { "ALTER TABLE profiles ADD COLUMN \($0)" }
        statements += [
            "CREATE INDEX profiles_stage ON profiles (workspace_id, stage)",
            "CREATE INDEX profiles_persona ON profiles (workspace_id, persona)",
            """
            CREATE TABLE segments (
                id \(id),
                workspace_id BIGINT NOT NULL,
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                condition \(json) NOT NULL,
                ready_made BOOLEAN NOT NULL DEFAULT FALSE,
                member_count BIGINT NOT NULL DEFAULT 0,
                computed_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (workspace_id, key)
            )
            """,
            """
            CREATE TABLE segment_members (
                workspace_id BIGINT NOT NULL,
                segment_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                entered_at BIGINT NOT NULL,
                PRIMARY KEY (segment_id, profile_id)
            )
            """,
            "CREATE INDEX segment_members_profile ON segment_members (workspace_id, profile_id)",
            """
            CREATE TABLE segment_rechecks (
                workspace_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                due_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, profile_id)
            )
            """,
            "CREATE INDEX segment_rechecks_due ON segment_rechecks (due_at)",
            """
            CREATE TABLE lifecycle_models (
                workspace_id BIGINT PRIMARY KEY,
                model \(json) NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE stage_history (
                id \(id),
                workspace_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                stage TEXT NOT NULL,
                previous_stage TEXT,
                entered_at BIGINT NOT NULL,
                exited_at BIGINT,
                next_stage TEXT
            )
            """,
            "CREATE INDEX stage_history_profile ON stage_history (workspace_id, profile_id, entered_at)",
            "CREATE INDEX stage_history_stage ON stage_history (workspace_id, stage, entered_at)",
            """
            CREATE TABLE personas (
                id \(id),
                workspace_id BIGINT NOT NULL,
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                definition \(json) NOT NULL,
                priority INTEGER NOT NULL,
                condition \(json) NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (workspace_id, key)
            )
            """,
            """
            CREATE TABLE rfm_rules (
                workspace_id BIGINT PRIMARY KEY,
                rules \(json) NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]
        if dialect == .postgres {
            // ISO 8601 text to epoch ms, NULL for anything that is not a date (SQLite's unixepoch() behaves so).
            statements.append("""
                CREATE FUNCTION ciclo_iso_ms(t text) RETURNS bigint AS $$
                BEGIN
                    RETURN (extract(epoch FROM t::timestamptz) * 1000)::bigint;
                EXCEPTION WHEN others THEN
                    RETURN NULL;
                END;
                $$ LANGUAGE plpgsql IMMUTABLE
                """)
        }
        return statements
    }
}
