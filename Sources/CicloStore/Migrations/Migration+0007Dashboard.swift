extension Migration {
    /// Dashboard users, their roles per workspace and their sessions; hourly order rollups, people per stage and
    /// persona, and the indexes the dashboard's bounded queries read.
    static let dashboard = Migration(version: 7, name: "dashboard users, sessions and hourly rollups") { dialect in
        let id = dialect.identityPrimaryKey
        return [
            """
            CREATE TABLE dashboard_users (
                id \(id),
                email TEXT NOT NULL UNIQUE,
                name TEXT,
                password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_sign_in_at BIGINT
            )
            """,
            """
            CREATE TABLE dashboard_memberships (
                user_id BIGINT NOT NULL,
                workspace_id BIGINT NOT NULL,
                role TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (user_id, workspace_id)
            )
            """,
            "CREATE INDEX dashboard_memberships_workspace ON dashboard_memberships (workspace_id)",
            """
            CREATE TABLE dashboard_sessions (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL,
                workspace_id BIGINT NOT NULL,
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX dashboard_sessions_user ON dashboard_sessions (user_id)",
            """
            CREATE TABLE hourly_orders (
                workspace_id BIGINT NOT NULL,
                hour BIGINT NOT NULL,
                orders BIGINT NOT NULL DEFAULT 0,
                repeat_orders BIGINT NOT NULL DEFAULT 0,
                revenue DOUBLE PRECISION NOT NULL DEFAULT 0,
                refunds DOUBLE PRECISION NOT NULL DEFAULT 0,
                PRIMARY KEY (workspace_id, hour)
            )
            """,
            // People per stage and persona, kept as standings change, so the funnel never counts a million rows.
            """
            CREATE TABLE audience_counts (
                workspace_id BIGINT NOT NULL,
                stage TEXT NOT NULL,
                persona TEXT NOT NULL,
                people BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, stage, persona)
            )
            """,
            // Covering indexes: the overview's period counts and the people list read only the index.
            "CREATE INDEX profiles_first_seen ON profiles (workspace_id, merged_into, first_seen)",
            "CREATE INDEX profiles_first_order ON profiles (workspace_id, merged_into, first_order_at)",
            "CREATE INDEX profiles_recent ON profiles (workspace_id, merged_into, last_seen)",
            "CREATE INDEX stage_history_exits ON stage_history (workspace_id, stage, exited_at, entered_at)",
        ]
    }
}
