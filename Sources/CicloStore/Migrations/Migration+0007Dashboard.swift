extension Migration {
    /// Dashboard users, their roles per workspace and their sessions; hourly order rollups and the indexes the
    /// overview's period counts read.
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
            "CREATE INDEX profiles_first_seen ON profiles (workspace_id, first_seen)",
            "CREATE INDEX profiles_first_order ON profiles (workspace_id, first_order_at)",
        ]
    }
}
