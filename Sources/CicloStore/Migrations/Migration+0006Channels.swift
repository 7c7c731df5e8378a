extension Migration {
    /// Message templates, consent by channel and topic, suppressed addresses, push subscriptions, the on-site inbox,
    /// and VAPID keys.
    static let channels = Migration(version: 6, name: "channels, templates and consent") { dialect in
        let id = dialect.identityPrimaryKey
        let json = dialect.jsonType
        return [
            """
            CREATE TABLE message_templates (
                id \(id),
                workspace_id BIGINT NOT NULL,
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                channel TEXT NOT NULL,
                topic TEXT NOT NULL,
                parts \(json) NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (workspace_id, key)
            )
            """,
            """
            CREATE TABLE consents (
                workspace_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                topic TEXT NOT NULL,
                status TEXT NOT NULL,
                source TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, profile_id, channel, topic)
            )
            """,
            """
            CREATE TABLE address_suppressions (
                workspace_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                address TEXT NOT NULL,
                reason TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, channel, address)
            )
            """,
            """
            CREATE TABLE push_subscriptions (
                id \(id),
                workspace_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                endpoint TEXT NOT NULL,
                p256dh TEXT NOT NULL,
                auth TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (workspace_id, endpoint)
            )
            """,
            "CREATE INDEX push_subscriptions_profile ON push_subscriptions (workspace_id, profile_id)",
            """
            CREATE TABLE onsite_messages (
                id \(id),
                workspace_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                outbox_id BIGINT NOT NULL UNIQUE,
                content \(json) NOT NULL,
                placement TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                dismissed_at BIGINT
            )
            """,
            "CREATE INDEX onsite_messages_profile ON onsite_messages (workspace_id, profile_id, expires_at)",
            "ALTER TABLE outbox ADD COLUMN provider_id TEXT",
            "CREATE INDEX outbox_provider ON outbox (provider_id)",
            """
            CREATE TABLE vapid_keys (
                workspace_id BIGINT PRIMARY KEY,
                private_key TEXT NOT NULL,
                public_key TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
        ]
    }
}
