extension StoreSchema {
    /// Version 6: send windows (issue 14, SPEC §8). A job keeps its window setting (`default`,
    /// `any` or `HH:MM-HH:MM`, the text `SendWindowSetting` reads) and its `--send-by` deadline.
    /// A deferred number's `code` now says why it waits (SEND_WINDOW, FREQUENCY_LIMIT,
    /// FLOW_CONTROL), and the index of deferred numbers ends in `position`, so when a window
    /// opens for 100,000 numbers at once they are read in file order without sorting them all
    /// at every claim.
    static let version6 = """
        ALTER TABLE jobs ADD COLUMN send_window TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE jobs ADD COLUMN send_by INTEGER;
        DROP INDEX numbers_deferred;
        CREATE INDEX numbers_deferred ON numbers(job_id, deferred_until, position) WHERE state = 'deferred';
        """
}
