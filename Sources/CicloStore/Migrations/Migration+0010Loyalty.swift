extension Migration {
    /// Loyalty: the program, accounts (cached balances), the append-only ledger with the unique indexes that make
    /// awards idempotent, point lots and what each redemption took from them, rewards and coupons, referrals.
    static let loyalty = Migration(version: 10, name: "loyalty and advocacy") { dialect in
        let id = dialect.identityPrimaryKey
        let json = dialect.jsonType
        return [
            // The ledger mirrors each member's standing onto the profile, where segments and templates read it.
            "ALTER TABLE profiles ADD COLUMN loyalty_balance BIGINT", "ALTER TABLE profiles ADD COLUMN loyalty_tier TEXT",
            "ALTER TABLE profiles ADD COLUMN loyalty_lifetime BIGINT", "ALTER TABLE profiles ADD COLUMN loyalty_to_next_tier BIGINT",
            "ALTER TABLE profiles ADD COLUMN loyalty_expiring BIGINT", "ALTER TABLE profiles ADD COLUMN nps_category TEXT",
            "ALTER TABLE profiles ADD COLUMN nps_score BIGINT", "ALTER TABLE profiles ADD COLUMN referral_count BIGINT",
            "CREATE TABLE loyalty_programs (workspace_id BIGINT PRIMARY KEY, definition \(json) NOT NULL, updated_at BIGINT NOT NULL)",
            """
            CREATE TABLE loyalty_accounts (
                workspace_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                balance BIGINT NOT NULL DEFAULT 0,
                pending BIGINT NOT NULL DEFAULT 0,
                lifetime BIGINT NOT NULL DEFAULT 0,
                tier TEXT,
                tier_since BIGINT,
                tier_until BIGINT,
                tier_manual_until BIGINT,
                last_activity_at BIGINT,
                deficit BIGINT NOT NULL DEFAULT 0,
                birthday TEXT,
                birthday_since BIGINT,
                PRIMARY KEY (workspace_id, profile_id)
            )
            """,
            "CREATE INDEX loyalty_accounts_tier ON loyalty_accounts (workspace_id, tier_until)",
            "CREATE INDEX loyalty_accounts_birthday ON loyalty_accounts (workspace_id, birthday)",
            "CREATE INDEX loyalty_accounts_activity ON loyalty_accounts (workspace_id, last_activity_at)",
            """
            CREATE TABLE loyalty_entries (
                id \(id),
                workspace_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                points BIGINT NOT NULL,
                due BIGINT,
                qualifying BOOLEAN NOT NULL DEFAULT FALSE,
                order_id TEXT,
                eligible_amount DOUBLE PRECISION,
                rule TEXT,
                source_key TEXT,
                idempotency_key TEXT,
                reverses BIGINT,
                lot_id BIGINT,
                reason TEXT,
                actor TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX loyalty_entries_account ON loyalty_entries (workspace_id, profile_id, created_at)",
            "CREATE INDEX loyalty_entries_reward ON loyalty_entries (workspace_id, rule) WHERE kind = 'redeem'",
            "CREATE INDEX loyalty_entries_order ON loyalty_entries (workspace_id, order_id) WHERE order_id IS NOT NULL",
            // Idempotency is the database's job: a second write of the same fact fails the constraint and writes nothing.
            "CREATE UNIQUE INDEX loyalty_one_earn_per_order ON loyalty_entries (workspace_id, profile_id, order_id) WHERE kind = 'earn_order'",
            "CREATE UNIQUE INDEX loyalty_one_clawback_per_refund ON loyalty_entries (workspace_id, order_id, source_key) WHERE kind = 'clawback'",
            "CREATE UNIQUE INDEX loyalty_one_action_award ON loyalty_entries (workspace_id, profile_id, rule, source_key) WHERE kind = 'earn_action'",
            "CREATE UNIQUE INDEX loyalty_idempotency ON loyalty_entries (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
            "CREATE UNIQUE INDEX loyalty_one_reversal ON loyalty_entries (workspace_id, reverses) WHERE kind = 'redeem_reversal'",
            "CREATE UNIQUE INDEX loyalty_one_referral_award ON loyalty_entries (workspace_id, profile_id, source_key) WHERE kind = 'earn_referral'",
            "CREATE UNIQUE INDEX loyalty_one_expiry_per_lot ON loyalty_entries (workspace_id, lot_id) WHERE kind = 'expire'",
            """
            CREATE TABLE loyalty_lots (
                id \(id),
                workspace_id BIGINT NOT NULL,
                profile_id BIGINT NOT NULL,
                entry_id BIGINT NOT NULL,
                points BIGINT NOT NULL,
                remaining BIGINT NOT NULL,
                pending BOOLEAN NOT NULL,
                available_at BIGINT NOT NULL,
                expires_at BIGINT,
                warned INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX loyalty_lots_account ON loyalty_lots (workspace_id, profile_id)",
            "CREATE INDEX loyalty_lots_entry ON loyalty_lots (entry_id)",
            "CREATE INDEX loyalty_lots_warn ON loyalty_lots (expires_at, warned) WHERE remaining > 0 AND NOT pending",
            "CREATE INDEX loyalty_lots_pending ON loyalty_lots (workspace_id, available_at) WHERE pending",
            "CREATE INDEX loyalty_lots_expiry ON loyalty_lots (workspace_id, expires_at) WHERE remaining > 0",
            "CREATE TABLE loyalty_lot_uses (entry_id BIGINT NOT NULL, lot_id BIGINT NOT NULL, points BIGINT NOT NULL, expires_at BIGINT)",
            "CREATE INDEX loyalty_lot_uses_entry ON loyalty_lot_uses (entry_id)",
            """
            CREATE TABLE loyalty_coupons (
                id \(id),
                workspace_id BIGINT NOT NULL,
                reward_key TEXT NOT NULL,
                code TEXT NOT NULL,
                profile_id BIGINT,
                entry_id BIGINT,
                assigned_at BIGINT,
                UNIQUE (workspace_id, code)
            )
            """,
            "CREATE INDEX loyalty_coupons_free ON loyalty_coupons (workspace_id, reward_key, profile_id)",
            "CREATE INDEX loyalty_coupons_entry ON loyalty_coupons (entry_id)",
            "CREATE TABLE referral_codes (workspace_id BIGINT NOT NULL, profile_id BIGINT NOT NULL, code TEXT NOT NULL, PRIMARY KEY (workspace_id, profile_id), UNIQUE (workspace_id, code))",
            """
            CREATE TABLE referrals (
                id \(id),
                workspace_id BIGINT NOT NULL,
                referrer_id BIGINT NOT NULL,
                referee_id BIGINT NOT NULL,
                status TEXT NOT NULL,
                reason TEXT,
                order_id TEXT,
                created_at BIGINT NOT NULL,
                qualifies_at BIGINT,
                decided_at BIGINT,
                UNIQUE (workspace_id, referee_id)
            )
            """,
            // One survey per person per throttle period, across channels; claimed atomically at send time.
            "CREATE TABLE survey_sends (workspace_id BIGINT NOT NULL, profile_id BIGINT NOT NULL, sent_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, profile_id))",
            "CREATE INDEX referrals_referrer ON referrals (workspace_id, referrer_id, created_at)",
            "CREATE INDEX referrals_due ON referrals (workspace_id, status, qualifies_at)",
            "CREATE INDEX referrals_order ON referrals (workspace_id, order_id) WHERE order_id IS NOT NULL",
        ]
    }
}
