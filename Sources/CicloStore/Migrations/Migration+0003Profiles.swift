extension Migration {
    /// Profile processing: typed computed columns, the per-workspace cursor, merges, conflicts, suppression, leases.
    static let profiles = Migration(version: 3, name: "profiles") { dialect in
        let id = dialect.identityPrimaryKey
        let json = dialect.jsonType
        let columns = [
            "user_id TEXT", "email TEXT", "phone TEXT", "display_name TEXT", "search_name TEXT",
            "trait_times \(json) NOT NULL DEFAULT '{}'", "computed \(json) NOT NULL DEFAULT '{}'",
            "event_count BIGINT NOT NULL DEFAULT 0", "session_count BIGINT NOT NULL DEFAULT 0",
            "first_order_at BIGINT", "last_order_at BIGINT", "order_count BIGINT NOT NULL DEFAULT 0",
            "total_revenue DOUBLE PRECISION NOT NULL DEFAULT 0", "average_order_value DOUBLE PRECISION",
            "last_order_value DOUBLE PRECISION", "orders_with_coupon BIGINT NOT NULL DEFAULT 0",
            "time_zone TEXT", "locale TEXT", "city TEXT", "country TEXT",
            "acquisition_source TEXT", "acquisition_medium TEXT", "acquisition_campaign TEXT",
        ]
        return columns.map { "ALTER TABLE profiles ADD COLUMN \($0)" } + [
            "CREATE INDEX profiles_search_name ON profiles (workspace_id, search_name)",
            "CREATE INDEX profiles_merged ON profiles (workspace_id, merged_into)",
            """
            CREATE TABLE profile_cursors (
                workspace_id BIGINT PRIMARY KEY,
                last_event_id BIGINT NOT NULL DEFAULT 0,
                version BIGINT NOT NULL DEFAULT 0,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE profile_merges (
                id \(id),
                workspace_id BIGINT NOT NULL,
                from_profile BIGINT NOT NULL,
                into_profile BIGINT NOT NULL,
                event_id BIGINT,
                reason TEXT NOT NULL,
                merged_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX profile_merges_into ON profile_merges (workspace_id, into_profile)",
            "CREATE INDEX profile_merges_from ON profile_merges (workspace_id, from_profile)",
            """
            CREATE TABLE identity_conflicts (
                id \(id),
                workspace_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                profile_id BIGINT NOT NULL,
                owner_profile_id BIGINT NOT NULL,
                event_id BIGINT,
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX identity_conflicts_profile ON identity_conflicts (workspace_id, profile_id)",
            """
            CREATE TABLE suppressed_identifiers (
                workspace_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                dropped_events BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (workspace_id, kind, value)
            )
            """,
            """
            CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
        ]
    }
}
