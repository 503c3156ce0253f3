extension StoreSchema {
    /// Version 3: the account's pace, shared by every process on the store (SPEC §4). One row
    /// per reserved request start; `account` is a digest of endpoint and app key.
    static let version3 = """
        CREATE TABLE pace_reservations (
            id           INTEGER PRIMARY KEY,
            account      TEXT NOT NULL,
            job_id       INTEGER NOT NULL,
            chunk_id     INTEGER,            -- the chunk whose request the start is for
            starts_at_us INTEGER NOT NULL,   -- microseconds since 1970 (UTC); moved to the real start
            numbers      INTEGER NOT NULL CHECK (numbers > 0)
        );
        CREATE INDEX pace_by_account ON pace_reservations(account, starts_at_us);
        CREATE INDEX pace_by_chunk ON pace_reservations(chunk_id);
        """
}
