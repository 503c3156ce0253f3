extension StoreSchema {
    /// Version 4: the jobs folder's memory (issue 11, SPEC §4). One row per content of a job file
    /// the daemon handled, keyed by the file's real path (symlinks resolved) and the SHA-256 of
    /// its bytes; it is written in the same transaction as the job it creates or replaces, so a
    /// content becomes at most one job even if the daemon is killed at any instant.
    /// `outcome`: `submitted` (this content made `job_id`), `refused` (it could not be read or
    /// imported), `kept` (it came too late to replace `job_id`, which was kept as it was).
    static let version4 = """
        CREATE TABLE job_folder_index (
            id          INTEGER PRIMARY KEY,          -- order of handling: the newest row is the file's current content
            path        TEXT NOT NULL,                -- the job file's real path
            digest      TEXT NOT NULL,                -- SHA-256 of its bytes, lower-case hex
            job_id      INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
            outcome     TEXT NOT NULL CHECK (outcome = 'submitted' OR outcome = 'refused' OR outcome = 'kept'),
            recorded_at INTEGER NOT NULL,
            UNIQUE (path, digest)
        );
        """
}
