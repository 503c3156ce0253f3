extension StoreSchema {
    /// Version 5: the template catalogue and each job's estimate (issue 12, SPEC §6).
    ///
    /// `templates` holds the approved text the user typed with `groupsms template add`, so jobs
    /// are checked and counted before anything is sent. `job_estimates` holds the estimate a job
    /// was created with (the `send --dry-run --json` object), one row per job, so `show` repeats
    /// exactly what the user saw; it is written in the job's own transaction.
    static let version5 = """
        CREATE TABLE templates (
            id         TEXT PRIMARY KEY,             -- the platform's templateId
            text       TEXT NOT NULL,                -- the approved text with its ${...} variables
            kind       TEXT NOT NULL CHECK (kind IN ('verification', 'notification', 'promotion')),
            region     TEXT NOT NULL CHECK (region IN ('mainland', 'international')),
            signature  TEXT,
            name       TEXT,
            added_at   INTEGER NOT NULL
        );
        CREATE TABLE job_estimates (
            job_id     INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
            estimate   TEXT NOT NULL                 -- the Estimate as JSON (sorted keys)
        );
        """
}
