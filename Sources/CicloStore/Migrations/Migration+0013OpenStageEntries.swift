extension Migration {
    /// Each person's open stage entry found by one index probe: every stage change closes the open row, and at a
    /// million people the history grows by a row per change while the open rows stay one per person.
    static let openStageEntries = Migration(version: 13, name: "open stage entries") { _ in
        ["CREATE INDEX stage_history_open ON stage_history (workspace_id, profile_id) WHERE exited_at IS NULL"]
    }
}
