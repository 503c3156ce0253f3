import Foundation

/// The store's schema as numbered migrations; `PRAGMA user_version` records the last applied.
///
/// Times are INTEGER milliseconds since 1970 (UTC). States are the lower-case names the CLI
/// prints, guarded by CHECK constraints written as OR chains: a CHECK with `IN (...)` builds an
/// ephemeral table on every row written, which made storing a 1,000,000-number job 3x slower. Migrations are append-only: a released step is never
/// edited, a change is a new step.
enum StoreSchema {
    /// The newest schema version this build writes.
    static var latestVersion: Int { migrations.count }

    /// Migration `n` (1-based) takes a database from version n-1 to n.
    static let migrations: [String] = [version1, version2, version3, version4, version5, version6, version7]

    private static let version1 = """
        CREATE TABLE store_meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE jobs (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            name            TEXT NOT NULL,
            source_files    TEXT NOT NULL DEFAULT '[]',      -- JSON array of recipient file paths
            template_id     TEXT NOT NULL,
            params          TEXT NOT NULL DEFAULT '[]',      -- JSON array: templateParas
            signature       TEXT,
            sender          TEXT NOT NULL,                   -- `from`, the channel number
            endpoint        TEXT,                            -- never credentials
            status_callback TEXT,
            default_country TEXT NOT NULL,
            content_key     TEXT NOT NULL,                   -- templateId+params+signature, for frequency limits
            rate            INTEGER NOT NULL CHECK (rate BETWEEN 1 AND 500),
            max_defer_ms    INTEGER NOT NULL CHECK (max_defer_ms >= 0),
            state           TEXT NOT NULL CHECK (state = 'scheduled' OR state = 'running' OR state = 'paused'
                              OR state = 'finished' OR state = 'cancelled' OR state = 'failed'),
            scheduled_at    INTEGER NOT NULL,
            created_at      INTEGER NOT NULL,
            started_at      INTEGER,
            finished_at     INTEGER,
            runner_token    TEXT,                            -- lease of the process running it
            runner_pid      INTEGER,
            runner_host     TEXT,
            heartbeat_at    INTEGER,
            rerun_of        INTEGER REFERENCES jobs(id),
            last_error      TEXT,
            next_chunk_seq  INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX jobs_by_state ON jobs(state, scheduled_at);

        CREATE TABLE chunks (
            id                 INTEGER PRIMARY KEY,
            job_id             INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            seq                INTEGER NOT NULL,
            extend_tag         TEXT NOT NULL UNIQUE,
            state              TEXT NOT NULL CHECK (state = 'in-flight' OR state = 'answered'
                                 OR state = 'unconfirmed' OR state = 'not-sent'),
            size               INTEGER NOT NULL,
            runner_token       TEXT NOT NULL,
            created_at         INTEGER NOT NULL,             -- committed as in flight
            request_started_at INTEGER,
            answered_at        INTEGER,
            answer_code        TEXT,
            answer_description TEXT,
            UNIQUE (job_id, seq)
        );
        CREATE INDEX chunks_in_flight ON chunks(job_id) WHERE state = 'in-flight';

        CREATE TABLE numbers (
            id             INTEGER PRIMARY KEY,
            job_id         INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            position       INTEGER NOT NULL,                 -- first-seen order within the job
            file_index     INTEGER,                          -- index into jobs.source_files
            cell           TEXT,
            original       TEXT,                             -- the cell's text, kept for invalid entries
            e164           TEXT,                             -- NULL only for invalid entries
            state          TEXT NOT NULL CHECK (state = 'pending' OR state = 'deferred' OR state = 'sending'
                             OR state = 'accepted' OR state = 'delivered' OR state = 'failed'
                             OR state = 'unconfirmed' OR state = 'not-sent'),
            failure_class  TEXT CHECK (failure_class = 'invalid' OR failure_class = 'opted-out'
                             OR failure_class = 'retryable' OR failure_class = 'unconfirmed'),
            stage          TEXT CHECK (stage = 'import' OR stage = 'local' OR stage = 'submit' OR stage = 'delivery'),
            code           TEXT,
            description    TEXT,
            chunk_id       INTEGER REFERENCES chunks(id),
            sms_msg_id     TEXT,
            deferred_until INTEGER,
            accepted_at    INTEGER,
            report_at      INTEGER,
            updated_at     INTEGER
        );
        CREATE INDEX numbers_by_state ON numbers(job_id, state, position);
        CREATE INDEX numbers_deferred ON numbers(job_id, deferred_until) WHERE state = 'deferred';
        CREATE INDEX numbers_by_chunk ON numbers(chunk_id) WHERE chunk_id IS NOT NULL;
        CREATE INDEX numbers_by_msg ON numbers(sms_msg_id) WHERE sms_msg_id IS NOT NULL;

        CREATE TABLE send_history (
            id          INTEGER PRIMARY KEY,
            number      TEXT NOT NULL,
            content_key TEXT NOT NULL,
            sent_at     INTEGER NOT NULL,
            job_id      INTEGER,
            chunk_id    INTEGER
        );
        CREATE INDEX send_history_by_number ON send_history(number, sent_at);
        CREATE INDEX send_history_by_time ON send_history(sent_at);
        CREATE INDEX send_history_by_chunk ON send_history(chunk_id) WHERE chunk_id IS NOT NULL;

        CREATE TABLE status_reports (
            id          INTEGER PRIMARY KEY,
            received_at INTEGER NOT NULL,
            sms_msg_id  TEXT NOT NULL,
            status      TEXT NOT NULL,
            total       INTEGER,
            sequence    INTEGER,
            source      TEXT,
            update_time TEXT,
            org_code    TEXT,
            extend      TEXT,
            recipient   TEXT,                                -- the report's `to`
            applied     INTEGER NOT NULL DEFAULT 0           -- set once its effect is on the number
        );
        CREATE UNIQUE INDEX status_reports_identity
            ON status_reports(sms_msg_id, ifnull(sequence, 0), status, ifnull(update_time, ''));
        CREATE INDEX status_reports_unapplied ON status_reports(id) WHERE applied = 0;

        CREATE TABLE suppression (
            number        TEXT PRIMARY KEY,
            code          TEXT NOT NULL,
            reason        TEXT NOT NULL,
            added_at      INTEGER NOT NULL,
            source_job_id INTEGER
        ) WITHOUT ROWID;

        CREATE TABLE job_events (
            id      INTEGER PRIMARY KEY,
            job_id  INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            at      INTEGER NOT NULL,
            kind    TEXT NOT NULL,
            message TEXT NOT NULL
        );
        CREATE INDEX job_events_by_job ON job_events(job_id, id);
        """

    /// Status-report delivery (issue 6).
    ///
    /// `status_reports.applied` gains a third value: 0 stored but not processed yet, 1 applied to
    /// its number, 2 held because no number had its smsMsgId when it was processed (an unknown id,
    /// or a report that overtook the answer recording its id); held reports are applied as soon as
    /// a chunk answer or a confirmation gives a number that id.
    private static let version2 = """
        CREATE INDEX numbers_awaiting_report ON numbers(accepted_at) WHERE state = 'accepted';
        CREATE INDEX status_reports_held ON status_reports(extend) WHERE applied = 2;
        CREATE INDEX jobs_by_rerun ON jobs(rerun_of) WHERE rerun_of IS NOT NULL;

        -- Entries about the data dir rather than one job (status reports for unknown message ids).
        CREATE TABLE store_events (
            id      INTEGER PRIMARY KEY,
            at      INTEGER NOT NULL,
            kind    TEXT NOT NULL,
            message TEXT NOT NULL
        );
        """

    /// Brings the database to `latestVersion` in one IMMEDIATE transaction, so two processes
    /// opening a new data dir at once cannot both migrate.
    static func migrate(_ connection: SQLiteConnection) throws {
        try connection.transaction {
            let current = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
            guard current <= latestVersion else {
                throw StoreError.newerSchema(found: current, supported: latestVersion, path: connection.path)
            }
            for version in stride(from: current + 1, through: latestVersion, by: 1) {
                try connection.executeScript(migrations[version - 1])
                try connection.executeScript("PRAGMA user_version = \(version)")
            }
            if try connection.scalarText("SELECT value FROM store_meta WHERE key = 'instance'") == nil {
                try connection.execute("INSERT INTO store_meta(key, value) VALUES ('instance', ?)", [.text(newInstanceTag())])
            }
        }
    }

    /// Four random base-36 characters that make this data dir's `extend` tags its own.
    private static func newInstanceTag() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<4).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
