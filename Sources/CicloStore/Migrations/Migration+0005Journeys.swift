extension Migration {
    /// Journeys with versions, enrolments, per-step transitions, conversions, the outbox, and workspace rules.
    static let journeys = Migration(version: 5, name: "journeys and outbox") { dialect in
        let id = dialect.identityPrimaryKey
        let json = dialect.jsonType
        return [
            """
            CREATE TABLE journeys (
                id \(id),
                workspace_id BIGINT NOT NULL,
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                version INTEGER NOT NULL,
                priority INTEGER NOT NULL DEFAULT 0,
                activated_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (workspace_id, key)
            )
            """,
            """
            CREATE TABLE journey_versions (
                journey_id BIGINT NOT NULL,
                version INTEGER NOT NULL,
                definition \(json) NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (journey_id, version)
            )
            """,
            """
            CREATE TABLE enrolments (
                id \(id),
                workspace_id BIGINT NOT NULL,
                journey_id BIGINT NOT NULL,
                version INTEGER NOT NULL,
                profile_id BIGINT NOT NULL,
                state TEXT NOT NULL,
                step TEXT NOT NULL,
                waiting BOOLEAN NOT NULL DEFAULT FALSE,
                wake_at BIGINT,
                wait_event TEXT,
                wait_key TEXT,
                wake_event BIGINT,
                trigger_properties \(json) NOT NULL DEFAULT '{}',
                arm TEXT,
                control BOOLEAN NOT NULL DEFAULT FALSE,
                steps_run INTEGER NOT NULL DEFAULT 0,
                entered_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                finished_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX enrolments_one_active ON enrolments (journey_id, profile_id) WHERE state = 'active'",
            "CREATE INDEX enrolments_due ON enrolments (wake_at) WHERE state = 'active'",
            "CREATE INDEX enrolments_profile ON enrolments (workspace_id, profile_id)",
            "CREATE INDEX enrolments_journey ON enrolments (journey_id, profile_id, entered_at)",
            """
            CREATE TABLE journey_transitions (
                id \(id),
                workspace_id BIGINT NOT NULL,
                journey_id BIGINT NOT NULL,
                enrolment_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                step TEXT NOT NULL,
                outcome TEXT NOT NULL,
                arm TEXT,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX journey_transitions_step ON journey_transitions (journey_id, step, outcome)",
            "CREATE INDEX journey_transitions_profile ON journey_transitions (workspace_id, profile_id)",
            """
            CREATE TABLE journey_conversions (
                enrolment_id BIGINT PRIMARY KEY,
                workspace_id BIGINT NOT NULL,
                journey_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                arm TEXT,
                revenue DOUBLE PRECISION NOT NULL DEFAULT 0,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX journey_conversions_journey ON journey_conversions (journey_id, arm)",
            """
            CREATE TABLE outbox (
                id \(id),
                workspace_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                journey_id BIGINT,
                enrolment_id BIGINT,
                step TEXT,
                arm TEXT,
                channel TEXT NOT NULL,
                template TEXT NOT NULL,
                transactional BOOLEAN NOT NULL DEFAULT FALSE,
                idempotency_key TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                payload \(json) NOT NULL DEFAULT '{}',
                error TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                sent_at BIGINT
            )
            """,
            "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
            "CREATE INDEX outbox_profile ON outbox (workspace_id, profile_id, channel, created_at)",
            """
            CREATE TABLE journey_settings (
                workspace_id BIGINT PRIMARY KEY,
                settings \(json) NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]
    }
}
