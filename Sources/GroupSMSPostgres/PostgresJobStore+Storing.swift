import GroupSMSStore

/// The store operations `PostgresJobStore` answers like `JobStore` (see `JobStoring`).
extension PostgresJobStore: JobRecordStoring {}
