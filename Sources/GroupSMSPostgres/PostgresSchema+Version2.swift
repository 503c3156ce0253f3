extension PostgresSchema {
    /// Version 2: the SQLite store's schema version 5 (StoreSchema+Version5.swift): the template
    /// catalogue and each job's estimate, translated like version 1.
    static let version2 = PostgresMigration(version: 2, name: "templates and job estimates (SQLite schema 5)", statements: [
        """
        CREATE TABLE templates (
            id         TEXT PRIMARY KEY,
            text       TEXT NOT NULL,
            kind       TEXT NOT NULL CHECK (kind IN ('verification', 'notification', 'promotion')),
            region     TEXT NOT NULL CHECK (region IN ('mainland', 'international')),
            signature  TEXT,
            name       TEXT,
            added_at   BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE job_estimates (
            job_id     BIGINT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
            estimate   TEXT NOT NULL
        )
        """,
    ])

    /// Version 3: the SQLite store's schema version 6 (StoreSchema+Version6.swift): a job's send
    /// window and send-by deadline, and the deferred-numbers index ending in `position`.
    static let version3 = PostgresMigration(version: 3, name: "send windows (SQLite schema 6)", statements: [
        "ALTER TABLE jobs ADD COLUMN send_window TEXT NOT NULL DEFAULT 'default'",
        "ALTER TABLE jobs ADD COLUMN send_by BIGINT",
        "DROP INDEX numbers_deferred",
        "CREATE INDEX numbers_deferred ON numbers(job_id, deferred_until, position) WHERE state = 'deferred'",
    ])

    /// Version 4: the SQLite store's schema version 7 (StoreSchema+Version7.swift): personalised
    /// jobs' value sets, and each number's set.
    static let version4 = PostgresMigration(version: 4, name: "personalised value sets (SQLite schema 7)", statements: [
        "ALTER TABLE jobs ADD COLUMN variables_header TEXT",
        """
        CREATE TABLE job_value_sets (
            job_id      BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            set_index   BIGINT NOT NULL,
            paras       TEXT NOT NULL,
            content_key TEXT NOT NULL,
            PRIMARY KEY (job_id, set_index)
        )
        """,
        "ALTER TABLE numbers ADD COLUMN value_set BIGINT",
    ])

    /// Version 5 (PostgreSQL only, SPEC §9): fenced runner leases. A running job's lease is its
    /// runner (`runner_token`), a fencing token that grows by one at every start and take-over,
    /// and an expiry; every chunk keeps the fencing token it was claimed under, so a take-over
    /// can tell its own chunks from a stalled runner's.
    static let version5 = PostgresMigration(version: 5, name: "fenced runner leases", statements: [
        "ALTER TABLE jobs ADD COLUMN fencing_token BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE jobs ADD COLUMN lease_expires_at BIGINT",
        "ALTER TABLE chunks ADD COLUMN fencing_token BIGINT NOT NULL DEFAULT 0",
        "CREATE INDEX jobs_by_lease ON jobs(lease_expires_at) WHERE state = 'running'",
        "CREATE INDEX chunks_by_job ON chunks(job_id)",
    ])
}
