extension StoreSchema {
    /// Version 7: personalised jobs (issue 13, SPEC §7). Each distinct tuple of template values
    /// of a job is stored once in `job_value_sets` (with its frequency-limit content key, so
    /// "same content" follows each number's own values); a number names its tuple in
    /// `value_set`. `variables_header` keeps the value columns' header (B1, C1, ...) for the
    /// failed-number export; NULL for a job without values.
    static let version7 = """
        ALTER TABLE jobs ADD COLUMN variables_header TEXT;
        CREATE TABLE job_value_sets (
            job_id      INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            set_index   INTEGER NOT NULL,
            paras       TEXT NOT NULL,                -- JSON array of the tuple's values
            content_key TEXT NOT NULL,                -- ContentKey of template + these values + signature
            PRIMARY KEY (job_id, set_index)
        ) WITHOUT ROWID;
        ALTER TABLE numbers ADD COLUMN value_set INTEGER;
        """
}
