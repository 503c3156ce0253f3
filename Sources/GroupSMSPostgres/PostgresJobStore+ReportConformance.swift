import GroupSMSStore

/// Status reports, the 72-hour expiry and the failed-number export on PostgreSQL (see `ReportStoring`).
extension PostgresJobStore: ReportStoring {}
